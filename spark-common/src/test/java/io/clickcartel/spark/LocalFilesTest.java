package io.clickcartel.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local file system without processes does what Hadoop's does, through both of Hadoop's APIs. */
class LocalFilesTest {

    private static Configuration conf() {
        Configuration conf = new Configuration();
        LocalFiles.HADOOP_SETTINGS.forEach(conf::set);
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return conf;
    }

    @Test
    void permissionsAreSetAsChmodWouldAndAMissingFileIsNotFound(@TempDir java.nio.file.Path dir) throws Exception {
        FileSystem fs = FileSystem.get(URI.create("file:///"), conf());
        assertThat(fs).isInstanceOf(LocalFiles.FileSystem.class);
        Path file = new Path(dir.resolve("f").toUri());
        try (FSDataOutputStream out =
                fs.create(file, new FsPermission((short) 0640), false, 4096, (short) 1, 1 << 20, null)) {
            out.write(1);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("f"))))
                .isEqualTo("rw-r-----");
        fs.setPermission(file, new FsPermission((short) 0754));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("f"))))
                .isEqualTo("rwxr-xr--");
        assertThat(fs.getFileStatus(file).getPermission()).isEqualTo(new FsPermission((short) 0754));
        assertThatThrownBy(
                        () -> fs.setPermission(new Path(dir.resolve("missing").toUri()), FsPermission.getDefault()))
                .isInstanceOf(FileNotFoundException.class);
    }

    @Test
    void linkStatusesAreHadoopsOwn(@TempDir java.nio.file.Path dir) throws Exception {
        FileSystem fs = FileSystem.get(URI.create("file:///"), conf());
        FileSystem hadoops = new org.apache.hadoop.fs.LocalFileSystem();
        hadoops.initialize(URI.create("file:///"), new Configuration());
        Files.writeString(dir.resolve("target"), "x");
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("target"));
        Path link = new Path(dir.resolve("link").toString());
        assertThat(fs.getFileLinkStatus(link).isSymlink()).isTrue();
        for (Path path : List.of(
                link,
                new Path(dir.resolve("link").toUri()),
                new Path(dir.resolve("target").toString()),
                new Path(dir.resolve("target").toUri()))) {
            assertThat(described(fs.getFileLinkStatus(path)))
                    .as("%s", path)
                    .isEqualTo(described(hadoops.getFileLinkStatus(path)));
        }
        assertThatThrownBy(() ->
                        fs.getFileLinkStatus(new Path(dir.resolve("missing").toUri())))
                .isInstanceOf(FileNotFoundException.class);
    }

    /** What Delta's commits and Spark's checkpoint files do: write a temporary file, rename it, never over another. */
    @Test
    void fileContextCreatesAndRenamesWithoutOverwriting(@TempDir java.nio.file.Path dir) throws Exception {
        FileContext files = FileContext.getFileContext(URI.create("file:///"), conf());
        Path temp = new Path(dir.resolve(".00000.json.tmp").toUri());
        Path commit = new Path(dir.resolve("00000.json").toUri());
        try (FSDataOutputStream out = files.create(temp, EnumSet.of(CreateFlag.CREATE))) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        files.rename(temp, commit, Options.Rename.NONE);
        assertThat(Files.readString(dir.resolve("00000.json"))).isEqualTo("{}");
        assertThat(Files.exists(dir.resolve(".00000.json.tmp"))).isFalse();

        try (FSDataOutputStream out = files.create(temp, EnumSet.of(CreateFlag.CREATE))) {
            out.write("{\"other\":1}".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> files.rename(temp, commit, Options.Rename.NONE))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(dir.resolve("00000.json"))).isEqualTo("{}");
    }

    /** FileStatus's own equality compares paths only. */
    private static String described(org.apache.hadoop.fs.FileStatus status) throws java.io.IOException {
        return String.join(
                " ",
                status.getPath().toString(),
                Long.toString(status.getLen()),
                Boolean.toString(status.isDirectory()),
                status.isSymlink() ? "-> " + status.getSymlink() : "not a link",
                status.getPermission().toString(),
                Long.toString(status.getModificationTime()));
    }
}
