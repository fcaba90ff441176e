package io.clickcartel.core;

/**
 * The reference data silver enriches events with, as the company supplies it (and datagen writes it): a customers
 * CSV file with a header row and a products Parquet file. Column names as they appear in those files.
 */
public final class ReferenceData {

    /** customers.csv: one row per customer. */
    public static final String CUSTOMER_ID = "customer_id";

    public static final String SIGNUP_DATE = "signup_date";
    public static final String LOCATION = "location";

    /** products.parquet: one row per product; price is decimal(10,2). */
    public static final String PRODUCT_ID = "product_id";

    public static final String PRODUCT_NAME = "product_name";
    public static final String CATEGORY = "category";
    public static final String PRICE = "price";

    private ReferenceData() {}
}
