package io.clickcartel.datagen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The reference data: customers (CSV) and products (Parquet), and the product popularity order. */
public final class Catalog {

    public record Customer(String id, LocalDate signupDate, String location) {}

    public record Product(String id, String name, String category, BigDecimal price) {}

    static final String[] LOCATIONS = {
        "London",
        "New York",
        "Berlin",
        "Paris",
        "Tokyo",
        "Madrid",
        "Toronto",
        "Sydney",
        "Amsterdam",
        "Lisbon",
        "Warsaw",
        "Dublin",
        "Oslo",
        "Vienna",
        "Prague"
    };
    static final String[] CATEGORIES = {
        "electronics",
        "books",
        "fashion",
        "home",
        "garden",
        "toys",
        "sports",
        "beauty",
        "grocery",
        "music",
        "games",
        "office"
    };
    private static final String[] ADJECTIVES = {
        "Compact", "Classic", "Smart", "Eco", "Deluxe", "Mini", "Pro", "Ultra", "Vintage", "Bold", "Quiet", "Rapid"
    };
    private static final String[] NOUNS = {
        "Lamp",
        "Backpack",
        "Speaker",
        "Novel",
        "Jacket",
        "Kettle",
        "Drone",
        "Planter",
        "Puzzle",
        "Racket",
        "Serum",
        "Notebook",
        "Headset",
        "Blender",
        "Sneakers",
        "Desk"
    };

    private final List<Customer> customers;
    private final List<Product> products;
    /** popularity[k] = index into products of the k-th most popular product. */
    private final int[] popularity;

    private Catalog(List<Customer> customers, List<Product> products, int[] popularity) {
        this.customers = customers;
        this.products = products;
        this.popularity = popularity;
    }

    static Catalog generate(GeneratorConfig config, SplittableRandom random) {
        Zipf locationSkew = new Zipf(LOCATIONS.length, 1.2);
        List<Customer> customers = new ArrayList<>(config.customers());
        for (int i = 0; i < config.customers(); i++) {
            LocalDate signup = config.start().minusDays(1 + random.nextInt(730));
            customers.add(new Customer(customerId(i), signup, LOCATIONS[locationSkew.sample(random)]));
        }
        List<Product> products = new ArrayList<>(config.products());
        for (int i = 0; i < config.products(); i++) {
            String name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + NOUNS[random.nextInt(NOUNS.length)]
                    + " " + (100 + random.nextInt(900));
            // log-uniform between 2 and 500: many cheap products, a few expensive ones
            double price = Math.exp(Math.log(2) + random.nextDouble() * (Math.log(500) - Math.log(2)));
            products.add(new Product(
                    productId(i),
                    name,
                    CATEGORIES[random.nextInt(CATEGORIES.length)],
                    BigDecimal.valueOf(price).setScale(2, RoundingMode.HALF_UP)));
        }
        int[] popularity = new int[config.products()];
        for (int i = 0; i < popularity.length; i++) {
            popularity[i] = i;
        }
        for (int i = popularity.length - 1; i > 0; i--) { // Fisher-Yates: popularity unrelated to id order
            int j = random.nextInt(i + 1);
            int swap = popularity[i];
            popularity[i] = popularity[j];
            popularity[j] = swap;
        }
        return new Catalog(List.copyOf(customers), List.copyOf(products), popularity);
    }

    /** A catalog given row by row (popularity in list order), for hand-made examples. */
    static Catalog of(List<Customer> customers, List<Product> products) {
        int[] popularity = new int[products.size()];
        for (int i = 0; i < popularity.length; i++) {
            popularity[i] = i;
        }
        return new Catalog(List.copyOf(customers), List.copyOf(products), popularity);
    }

    static String customerId(int index) {
        return padded("c-", index + 1, 5);
    }

    static String unknownCustomerId(int index) {
        return padded("c-x", index + 1, 5);
    }

    static String productId(int index) {
        return padded("p-", index + 1, 5);
    }

    static String unknownProductId(int index) {
        return padded("p-x", index + 1, 4);
    }

    /** {@code String.format("%0Nd")} without the formatter, which dominated generation time. */
    private static String padded(String prefix, int number, int width) {
        String digits = Integer.toString(number);
        return prefix + "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    public List<Customer> customers() {
        return customers;
    }

    public List<Product> products() {
        return products;
    }

    int productByPopularity(int rank) {
        return popularity[rank];
    }
}
