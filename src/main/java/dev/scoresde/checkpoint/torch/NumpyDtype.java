package dev.scoresde.checkpoint.torch;

/**
 * A numpy dtype as a pickled numpy scalar names it ({@code numpy.dtype('f8', False, True)}), for the one
 * place such scalars occur in a reference checkpoint: the learning rate that run_lib's warm-up stores in the
 * optimizer's param_groups as a numpy float64. Only fixed-size numbers and bool are known.
 *
 * Little-endian only (what every x86 and ARM host writes); a big-endian scalar is refused.
 *
 * @param code the type code: f8, f4, i8, i4, i2, i1, u1 or b1
 */
record NumpyDtype(String code) {

  static NumpyDtype of(String code) throws TorchFormatException {
    if (size(code) < 0) {
      throw new TorchFormatException("numpy dtype '" + Quote.of(code) + "' is not allowed (allowed: f8, f4, i8, i4, "
          + "i2, i1, u1, b1)");
    }
    return new NumpyDtype(code);
  }

  static int size(String code) {
    return switch (code) {
      case "f8", "i8" -> 8;
      case "f4", "i4" -> 4;
      case "i2" -> 2;
      case "i1", "u1", "b1" -> 1;
      default -> -1;
    };
  }

  /** Checks the state BUILD gives a dtype, numpy's tuple (version, byte order, …): little-endian or none. */
  void checkState(Object state) throws TorchFormatException {
    if (!(state instanceof PickleTuple t) || t.size() < 2 || !(t.get(1) instanceof String order)) {
      throw new TorchFormatException("the state of a numpy dtype is " + TorchValues.describe(state)
          + ", expected (version, byte order, ...)");
    }
    if (!order.equals("<") && !order.equals("|") && !order.equals("=")) {
      throw new TorchFormatException("numpy byte order '" + Quote.of(order) + "' is not supported (little-endian only)");
    }
  }

  /** The Java value of a scalar of this dtype stored in {@code bytes}: Double, Long or Boolean. */
  Object value(byte[] bytes) throws TorchFormatException {
    int n = size(code);
    if (bytes.length != n) {
      throw new TorchFormatException("a numpy " + code + " scalar holds " + n + " bytes, got " + bytes.length);
    }
    long bits = 0;
    for (int i = 0; i < n; i++) {
      int b = bytes[n - 1 - i] & 0xff;
      bits = bits << 8 | b;
    }
    return switch (code) {
      case "f8" -> Double.longBitsToDouble(bits);
      case "f4" -> (double) Float.intBitsToFloat((int) bits);
      case "b1" -> bits != 0;
      case "u1" -> bits;
      default -> bits << (64 - 8 * n) >> (64 - 8 * n); // sign-extend i1..i8
    };
  }
}
