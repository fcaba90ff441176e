package io.clickcartel.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}) without a process per file. Without Hadoop's native library, which
 * Spark does not ship, {@link RawLocalFileSystem} sets each file's permissions by running {@code chmod} and, on every
 * rename through Hadoop's {@code FileContext} (Spark's checkpoint files, Delta's commits), reads links by running
 * {@code readlink}: some 1,800 processes in one gold test, at about 6 ms each. These classes do both through
 * {@code java.nio} and leave everything else to Hadoop's own classes; {@link SparkSessions} selects them.
 */
public final class LocalFiles {

    /** The Hadoop settings that select these classes for {@code file:} paths. */
    public static final Map<String, String> HADOOP_SETTINGS = Map.of(
            "fs.file.impl", FileSystem.class.getName(),
            "fs.AbstractFileSystem.file.impl", Fs.class.getName());

    private LocalFiles() {}

    /** For {@code fs.file.impl}: Hadoop's {@link LocalFileSystem} (with its checksum files) over {@link Raw}. */
    public static final class FileSystem extends LocalFileSystem {
        public FileSystem() {
            super(new Raw());
        }
    }

    /** For {@code fs.AbstractFileSystem.file.impl}, what {@code FileContext} uses: Hadoop's {@code LocalFs}, over {@link Raw}. */
    public static final class Fs extends ChecksumFs {
        public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(new RawFs(uri, conf));
        }
    }

    /** Hadoop's {@link RawLocalFileSystem} with permissions and link checks done in the JVM. */
    static final class Raw extends RawLocalFileSystem {

        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            if (permission.getStickyBit()) {
                super.setPermission(path, permission); // java.nio cannot set it: Hadoop's way, chmod
                return;
            }
            String bits = permission.getUserAction().SYMBOL
                    + permission.getGroupAction().SYMBOL
                    + permission.getOtherAction().SYMBOL;
            try {
                Files.setPosixFilePermissions(pathToFile(path).toPath(), PosixFilePermissions.fromString(bits));
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException("File " + path + " does not exist");
            }
        }

        /** A symbolic link goes to Hadoop's own code ({@code readlink}); anything else is what it would return. */
        @Override
        public FileStatus getFileLinkStatus(Path path) throws IOException {
            if (Files.isSymbolicLink(pathToFile(path).toPath())) {
                return super.getFileLinkStatus(path);
            }
            return getFileStatus(path);
        }
    }

    /** Hadoop's {@code RawLocalFs}, whose constructors are package-private, over {@link Raw}. */
    static final class RawFs extends DelegateToFileSystem {
        RawFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new Raw(), conf, "file", false);
        }

        @Override
        public int getUriDefaultPort() {
            return -1;
        }

        @Override
        @SuppressWarnings("deprecation")
        public FsServerDefaults getServerDefaults() throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        public FsServerDefaults getServerDefaults(Path path) throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        public boolean isValidName(String src) {
            return true;
        }
    }
}
