package dev.scoresde.api.hardening;

import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * Request strings must be JSON strings: Jackson would otherwise coerce {@code {"model": 5}} to "5" (a 404 for a
 * model nobody named) or {@code true} to "true". A number is still taken where the API documents "id or name"
 * ({@link #NUMBERS_ALLOWED}: {@code classLabel}).
 */
final class StrictStrings extends StdScalarDeserializer<String> {
  /** Properties whose value may be a class id (integer) as well as a name. */
  static final Set<String> NUMBERS_ALLOWED = Set.of("classLabel");

  private final String property;
  private final boolean integers;

  StrictStrings() {
    this(null, false);
  }

  private StrictStrings(String property, boolean integers) {
    super(String.class);
    this.property = property;
    this.integers = integers;
  }

  @Override
  public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty p) {
    if (p == null) {
      return this;
    }
    return new StrictStrings(p.getName(), NUMBERS_ALLOWED.contains(p.getName()));
  }

  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING || integers && t == JsonToken.VALUE_NUMBER_INT) {
      return p.getString();
    }
    String what = switch (t) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> "a " + t;
    };
    return ctxt.reportInputMismatch(this, "%s must be a JSON string, not %s",
        property == null ? "the value" : Scrub.cut(property, Scrub.MAX_ECHO), what);
  }

  @Override
  public boolean isCachable() {
    return property == null;
  }
}
