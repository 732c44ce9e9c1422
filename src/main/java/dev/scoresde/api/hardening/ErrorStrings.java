package dev.scoresde.api.hardening;

import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.ser.BeanPropertyWriter;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * The {@code error} strings of the API's own responses (a failed model in {@code GET /v1/models}, a failed job)
 * go out through {@link Scrub#detail} like problem details: a model that fails to load names its files in the
 * log, not to callers.
 */
final class ErrorStrings extends ValueSerializerModifier {

  @Override
  public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription.Supplier beanDesc,
      List<BeanPropertyWriter> properties) {
    if (!beanDesc.getBeanClass().getName().startsWith("dev.scoresde.")) {
      return properties;
    }
    for (BeanPropertyWriter w : properties) {
      if ("error".equals(w.getName()) && w.getType().hasRawClass(String.class)) {
        w.assignSerializer(new Scrubbed());
      }
    }
    return properties;
  }

  static final class Scrubbed extends StdSerializer<Object> {
    Scrubbed() {
      super(Object.class);
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializationContext ctxt) {
      gen.writeString(Scrub.detail(value.toString()));
    }
  }
}
