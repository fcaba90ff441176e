package io.clickcartel.datagen;

import io.clickcartel.core.ReferenceData;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/** Writes the reference data in the formats the silver layer reads: customers as CSV, products as Parquet. */
final class ReferenceDataWriter {

    static final String CUSTOMERS_FILE = "customers.csv";
    static final String PRODUCTS_FILE = "products.parquet";

    /** price is decimal(10,2), stored as its unscaled value in an INT64 as the Parquet spec allows. */
    static final MessageType PRODUCT_SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named(ReferenceData.PRODUCT_ID)
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named(ReferenceData.PRODUCT_NAME)
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named(ReferenceData.CATEGORY)
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.decimalType(2, 10))
            .named(ReferenceData.PRICE)
            .named("product");

    private ReferenceDataWriter() {}

    static void writeCustomers(Catalog catalog, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write(String.join(",", ReferenceData.CUSTOMER_ID, ReferenceData.SIGNUP_DATE, ReferenceData.LOCATION)
                    + "\n");
            for (Catalog.Customer customer : catalog.customers()) {
                out.write(customer.id() + "," + customer.signupDate() + "," + customer.location() + "\n");
            }
        }
    }

    static void writeProducts(Catalog catalog, Path file) throws IOException {
        Configuration hadoop = new Configuration(false);
        // the raw local file system writes no .crc side files
        hadoop.set("fs.file.impl", org.apache.hadoop.fs.RawLocalFileSystem.class.getName());
        hadoop.setBoolean("fs.file.impl.disable.cache", true);
        SimpleGroupFactory rows = new SimpleGroupFactory(PRODUCT_SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(
                        new org.apache.hadoop.fs.Path(file.toAbsolutePath().toUri()))
                .withConf(hadoop)
                .withType(PRODUCT_SCHEMA)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (Catalog.Product product : catalog.products()) {
                writer.write(rows.newGroup()
                        .append(ReferenceData.PRODUCT_ID, product.id())
                        .append(ReferenceData.PRODUCT_NAME, product.name())
                        .append(ReferenceData.CATEGORY, product.category())
                        .append(
                                ReferenceData.PRICE,
                                product.price().unscaledValue().longValueExact()));
            }
        }
    }
}
