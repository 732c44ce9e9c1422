package dev.scoresde.checkpoint.torch;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed access to the values of {@link TorchCheckpoint#root()}. Each getter takes {@code what}, a path such as
 * {@code ema.shadow_params[3]}, and throws a {@link TorchFormatException} naming it when the value has another type.
 */
public final class TorchValues {
  private TorchValues() {}

  /** A dict whose keys are all strings. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asStringMap(Object value, String what) throws TorchFormatException {
    Map<Object, Object> map = asMap(value, what);
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        throw new TorchFormatException(what + " has a key that is " + describe(key) + ", expected a string");
      }
    }
    return (Map<String, Object>) (Map<?, ?>) map;
  }

  /** A dict (or OrderedDict) with keys of any type. */
  @SuppressWarnings("unchecked")
  public static Map<Object, Object> asMap(Object value, String what) throws TorchFormatException {
    return (Map<Object, Object>) as(Map.class, value, what, "a dict");
  }

  /** A list or a tuple. */
  @SuppressWarnings("unchecked")
  public static List<Object> asList(Object value, String what) throws TorchFormatException {
    return (List<Object>) as(List.class, value, what, "a list");
  }

  public static TorchTensor asTensor(Object value, String what) throws TorchFormatException {
    return as(TorchTensor.class, value, what, "a tensor");
  }

  public static String asString(Object value, String what) throws TorchFormatException {
    return as(String.class, value, what, "a string");
  }

  public static boolean asBoolean(Object value, String what) throws TorchFormatException {
    return as(Boolean.class, value, what, "a bool");
  }

  /** An int that fits 64 bits. */
  public static long asLong(Object value, String what) throws TorchFormatException {
    return as(Long.class, value, what, "a 64-bit int");
  }

  /** A float, or an int (converted as Python would). */
  public static double asDouble(Object value, String what) throws TorchFormatException {
    if (value instanceof Long l) {
      return l;
    }
    return as(Double.class, value, what, "a float");
  }

  /** {@code map.get(key)}, refused if the key is absent. */
  public static Object get(Map<String, Object> map, String key, String what) throws TorchFormatException {
    if (!map.containsKey(key)) {
      throw new TorchFormatException(what + " has no key '" + Quote.of(key) + "'");
    }
    return map.get(key);
  }

  /** The Python-side type of a value, for messages: "a string", "a tensor", "None", ... */
  public static String describe(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Long) {
      return "an int";
    }
    if (value instanceof BigInteger) {
      return "an int beyond 64 bits";
    }
    if (value instanceof Double) {
      return "a float";
    }
    if (value instanceof Boolean) {
      return "a bool";
    }
    if (value instanceof byte[]) {
      return "bytes";
    }
    if (value instanceof PickleTuple t) {
      return "a tuple of " + t.size();
    }
    if (value instanceof List<?> l) {
      return "a list of " + l.size();
    }
    if (value instanceof Map<?, ?> m) {
      return "a dict of " + m.size();
    }
    if (value instanceof Set<?> s) {
      return "a set of " + s.size();
    }
    if (value instanceof TorchTensor) {
      return "a tensor";
    }
    if (value instanceof TorchStorage) {
      return "a storage";
    }
    if (value instanceof NumpyDtype d) {
      return "a numpy dtype " + d.code();
    }
    return "the global " + value;
  }

  private static <T> T as(Class<T> type, Object value, String what, String expected) throws TorchFormatException {
    if (!type.isInstance(value)) {
      throw new TorchFormatException(what + " is " + describe(value) + ", expected " + expected);
    }
    return type.cast(value);
  }
}
