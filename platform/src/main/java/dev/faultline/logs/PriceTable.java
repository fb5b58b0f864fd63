package dev.faultline.logs;

import dev.faultline.plugin.api.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * USD per million tokens by model: the built-in {@code prices.yaml} with the user's file laid
 * over it, entry by entry. See {@code config/prices.yaml} for the format and how names match.
 */
public final class PriceTable {

  /** {@code -2024-07-18}, {@code -20241022} or {@code -0125} at the end of a model name. */
  private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4})$");
  private static final double PER_TOKEN = 1e-6;

  /** One model's prices, in USD per million tokens. */
  public record Price(double input, double cachedInput, double output) {

    /** What {@code usage} costs: cached prompt tokens at their own price, the rest at the input price. */
    public double cost(Usage usage) {
      long cached = Math.min(Math.max(usage.cachedPromptTokens(), 0), usage.promptTokens());
      return ((usage.promptTokens() - cached) * input + cached * cachedInput + usage.completionTokens() * output)
          * PER_TOKEN;
    }
  }

  /** Lookups already made; bounded, since model names come from callers. */
  private static final int MAX_REMEMBERED = 10_000;

  private final Map<String, Price> prices;
  private final Map<String, Optional<Price>> found = new ConcurrentHashMap<>();

  private PriceTable(Map<String, Price> prices) {
    this.prices = Map.copyOf(prices);
  }

  /**
   * The built-in table, with {@code userFile} (may be null) laid over it. Reads files: call it on
   * a worker thread.
   *
   * @throws IllegalArgumentException naming the file and the entry at fault
   */
  public static PriceTable load(Path userFile) {
    Map<String, Price> prices = new HashMap<>();
    try (InputStream in = PriceTable.class.getResourceAsStream("/prices.yaml")) {
      if (in == null) {
        throw new IllegalStateException("prices.yaml is missing from the jar");
      }
      parseInto(new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8)), "built-in prices.yaml", prices);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in prices.yaml", e);
    }
    if (userFile != null) {
      try (Reader reader = Files.newBufferedReader(userFile)) {
        parseInto(new Yaml().load(reader), userFile.toString(), prices);
      } catch (IOException | RuntimeException e) {
        if (e instanceof IllegalArgumentException bad) {
          throw bad;
        }
        throw new IllegalArgumentException(userFile + ": cannot read the price table: " + e.getMessage(), e);
      }
    }
    return new PriceTable(prices);
  }

  /** A table of exactly these entries, for tests and for callers that build prices in code. */
  public static PriceTable of(Map<String, Price> prices) {
    return new PriceTable(prices);
  }

  /**
   * The price of {@code model} as served by the provider plugin {@code provider}: a
   * {@code provider/model} entry first, then a plain one, each by the exact name and then without
   * a date suffix.
   */
  public Optional<Price> find(String provider, String model) {
    if (model == null || model.isEmpty()) {
      return Optional.empty();
    }
    String key = provider + '/' + model;
    Optional<Price> known = found.get(key);
    if (known != null) {
      return known;
    }
    Optional<Price> price = lookUp(provider, model);
    if (found.size() < MAX_REMEMBERED) {
      found.put(key, price);
    }
    return price;
  }

  private Optional<Price> lookUp(String provider, String model) {
    String undated = DATE_SUFFIX.matcher(model).replaceFirst("");
    for (String name : new String[] {provider + "/" + model, provider + "/" + undated, model, undated}) {
      Price price = prices.get(name);
      if (price != null) {
        return Optional.of(price);
      }
    }
    return Optional.empty();
  }

  private static void parseInto(Object yaml, String source, Map<String, Price> into) {
    if (yaml == null) {
      return;
    }
    if (!(yaml instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException(source + ": expected a mapping with a 'models' key");
    }
    Object models = root.get("models");
    if (models == null) {
      return;
    }
    if (!(models instanceof Map<?, ?> entries)) {
      throw new IllegalArgumentException(source + ": models: expected a mapping of model name to prices");
    }
    entries.forEach((name, value) -> into.put(String.valueOf(name), price(source, "models." + name, value)));
  }

  private static Price price(String source, String path, Object value) {
    if (!(value instanceof Map<?, ?> entry)) {
      throw new IllegalArgumentException(source + ": " + path + ": expected {input: …, output: …, cached_input: …}");
    }
    for (Object key : entry.keySet()) {
      if (!Pattern.matches("input|cached_input|output|as_of", String.valueOf(key))) {
        throw new IllegalArgumentException(source + ": " + path + "." + key
            + ": unknown field; an entry has input, cached_input, output, as_of");
      }
    }
    double input = amount(source, path + ".input", entry.get("input"), null);
    double output = amount(source, path + ".output", entry.get("output"), null);
    return new Price(input, amount(source, path + ".cached_input", entry.get("cached_input"), input), output);
  }

  private static double amount(String source, String path, Object value, Double fallback) {
    if (value == null && fallback != null) {
      return fallback;
    }
    if (value instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(source + ": " + path + ": "
        + (value == null ? "required" : "must be a number of USD per 1M tokens, 0 or more, got " + value));
  }
}
