package dev.scoresde.checkpoint.reference;

import dev.scoresde.nn.reference.ReferenceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every configuration under the reference's {@code configs/} (resource {@code reference-configs.json}: the
 * data and model sections and training.sde / training.continuous of each, as its config files resolve
 * them; tools/reference-parity/generate.py writes it), plus overrides by the reference's dotted names
 * ("model.nf=16", "data.image_size=16", "training.continuous=false").
 */
public final class ReferenceConfigs {
  static final String RESOURCE = "/reference-configs.json";
  private static final JsonMapper REFERENCE_JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();
  private static final Map<String, JsonNode> CATALOGUE = load();
  /**
   * The published checkpoints' folder names (the reference README's table) that are not config names: the
   * config each was trained with.
   */
  static final Map<String, String> PUBLISHED = Map.of(
      "ve/ffhq_1024_ncsnpp_continuous", "ve/ffhq_ncsnpp_continuous",
      "vp/cifar10_ddpm", "vp/ddpm/cifar10",
      "vp/cifar10_ddpm_continuous", "vp/ddpm/cifar10_continuous");

  private ReferenceConfigs() {}

  /** The names of the reference's configs, e.g. "ve/cifar10_ncsnpp_continuous" (published aliases aside). */
  public static Set<String> names() {
    return Collections.unmodifiableSet(new TreeSet<>(CATALOGUE.keySet()));
  }

  /**
   * The config {@code name} — a config under the reference's configs/ or a published checkpoint folder
   * name such as "ve/ffhq_1024_ncsnpp_continuous" (null: none, then overrides must give every field) — with
   * {@code overrides}
   * applied; values are JSON literals (16, true, [1,2,2], "output_skip") or bare strings (output_skip).
   *
   * @throws IllegalArgumentException for an unknown config or option, a bad value, or an invalid result
   */
  public static ReferenceConfig resolve(String name, Map<String, String> overrides) {
    ObjectNode root = REFERENCE_JSON.createObjectNode();
    if (name != null) {
      name = PUBLISHED.getOrDefault(name, name);
      JsonNode known = CATALOGUE.get(name);
      if (known == null) {
        throw new IllegalArgumentException("unknown reference config '" + name + "'; known: " + names());
      }
      root = (ObjectNode) known.deepCopy();
    }
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      set(root, o.getKey(), o.getValue());
    }
    return bind(name, root);
  }

  /** A config from the reference's resolved sections, as the catalogue and fixture files hold them. */
  public static ReferenceConfig bind(String name, JsonNode sections) {
    for (String section : new String[] {"data", "model"}) {
      if (!sections.path(section).isObject()) {
        throw new IllegalArgumentException("reference config " + name + " lacks its " + section + " section");
      }
    }
    JsonNode model = sections.get("model");
    String attention = model.path("attention_type").asString("ddpm");
    if (!attention.equalsIgnoreCase("ddpm")) {
      throw new IllegalArgumentException("model.attention_type '" + attention + "': the reference implements 'ddpm' only");
    }
    if (model.path("conv_size").asInt(3) != 3) {
      throw new IllegalArgumentException("model.conv_size must be 3, as in every reference network");
    }
    ObjectNode tree = REFERENCE_JSON.createObjectNode();
    tree.put("name", name);
    ObjectNode training = tree.putObject("training");
    training.set("sde", sections.path("training.sde"));
    training.set("continuous", sections.path("training.continuous"));
    tree.set("data", sections.get("data"));
    tree.set("model", model);
    try {
      ReferenceConfig config = REFERENCE_JSON.treeToValue(tree, ReferenceConfig.class);
      config.validate();
      return config;
    } catch (JacksonException e) {
      throw new IllegalArgumentException("reference config " + name + ": " + e.getOriginalMessage(), e);
    }
  }

  private static void set(ObjectNode root, String key, String value) {
    JsonNode parsed = parse(value);
    if (key.equals("training.sde") || key.equals("training.continuous")) {
      root.set(key, parsed);
      return;
    }
    int dot = key.indexOf('.');
    String section = dot < 0 ? "" : key.substring(0, dot);
    String field = key.substring(dot + 1);
    Class<? extends Record> type = switch (section) {
      case "data" -> ReferenceConfig.Data.class;
      case "model" -> ReferenceConfig.ModelOptions.class;
      default -> throw new IllegalArgumentException("unknown option '" + key
          + "': options are training.sde, training.continuous, data.<field> and model.<field>");
    };
    if (!snakeCaseFields(type).contains(field)) {
      throw new IllegalArgumentException("unknown option '" + key + "'; " + section + " options: "
          + snakeCaseFields(type));
    }
    JsonNode target = root.path(section);
    ObjectNode obj = target.isObject() ? (ObjectNode) target : root.putObject(section);
    obj.set(field, parsed);
  }

  private static JsonNode parse(String value) {
    try {
      return REFERENCE_JSON.readTree(value);
    } catch (JacksonException e) {
      return REFERENCE_JSON.getNodeFactory().stringNode(value);
    }
  }

  private static Set<String> snakeCaseFields(Class<? extends Record> type) {
    Set<String> out = new TreeSet<>();
    for (RecordComponent c : type.getRecordComponents()) {
      out.add(c.getName().replaceAll("([A-Z0-9]+)", "_$1").toLowerCase(java.util.Locale.ROOT));
    }
    return out;
  }

  private static Map<String, JsonNode> load() {
    try (InputStream in = ReferenceConfigs.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      Map<String, JsonNode> out = new LinkedHashMap<>();
      REFERENCE_JSON.readTree(in).properties().forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
