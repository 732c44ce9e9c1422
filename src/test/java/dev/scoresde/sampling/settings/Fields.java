package dev.scoresde.sampling.settings;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Tests' shorthand for {@link SamplerFields}: {@code Fields.of("sampler", "ddim", "eta", 0.5)}, the rest unset. */
public final class Fields {
  private Fields() {}

  public static SamplerFields of(Object... nameValue) {
    RecordComponent[] components = SamplerFields.class.getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < nameValue.length; i += 2) {
      String name = (String) nameValue[i];
      int at = Arrays.stream(components).map(RecordComponent::getName).toList().indexOf(name);
      if (at < 0) {
        throw new IllegalArgumentException("no sampler field " + name);
      }
      values[at] = nameValue[i + 1];
    }
    try {
      return SamplerFields.class.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new)).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
