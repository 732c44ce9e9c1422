package dev.scoresde.checkpoint.torch;

import java.nio.ByteBuffer;

/** The element types of torch storages: the storage class a checkpoint names and the size of one element. */
public enum TorchDtype {
  FLOAT32("FloatStorage", 4),
  FLOAT64("DoubleStorage", 8),
  FLOAT16("HalfStorage", 2),
  BFLOAT16("BFloat16Storage", 2),
  INT64("LongStorage", 8),
  INT32("IntStorage", 4),
  INT16("ShortStorage", 2),
  INT8("CharStorage", 1),
  UINT8("ByteStorage", 1),
  BOOL("BoolStorage", 1);

  private final String storageClass;
  private final int elementSize;

  TorchDtype(String storageClass, int elementSize) {
    this.storageClass = storageClass;
    this.elementSize = elementSize;
  }

  /** The class name in module {@code torch}, e.g. {@code FloatStorage}. */
  public String storageClass() {
    return storageClass;
  }

  /** Bytes per element. */
  public int elementSize() {
    return elementSize;
  }

  /** Whether the elements are floating point numbers. */
  public boolean isFloatingPoint() {
    return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
  }

  /** The dtype of storage class {@code torch.<name>}, or null. */
  static TorchDtype ofStorageClass(String name) {
    for (TorchDtype d : values()) {
      if (d.storageClass.equals(name)) {
        return d;
      }
    }
    return null;
  }

  /** The element at byte {@code at} of {@code b} (whose byte order is set) as a double. */
  double readDouble(ByteBuffer b, int at) {
    return switch (this) {
      case FLOAT32 -> b.getFloat(at);
      case FLOAT64 -> b.getDouble(at);
      case FLOAT16 -> halfToFloat(b.getShort(at));
      case BFLOAT16 -> Float.intBitsToFloat(b.getShort(at) << 16);
      default -> readLong(b, at);
    };
  }

  /** The element at byte {@code at} of an integer or bool storage as a long. */
  long readLong(ByteBuffer b, int at) {
    return switch (this) {
      case INT64 -> b.getLong(at);
      case INT32 -> b.getInt(at);
      case INT16 -> b.getShort(at);
      case INT8 -> b.get(at);
      case UINT8 -> b.get(at) & 0xff;
      case BOOL -> b.get(at) != 0 ? 1 : 0;
      default -> throw new IllegalArgumentException(this + " is not an integer dtype");
    };
  }

  /** IEEE 754 binary16 to float, exactly (subnormals, infinities and NaN included). */
  static float halfToFloat(short h) {
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
