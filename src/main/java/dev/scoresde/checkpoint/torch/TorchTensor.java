package dev.scoresde.checkpoint.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor of a checkpoint: a strided view of a {@link TorchStorage}. Shape, strides and offset are checked against
 * the storage when the checkpoint is read; the elements are read from the archive only by the {@code to...Array}
 * methods, which return them in row-major order of {@link #shape()} whatever the strides.
 */
public final class TorchTensor {
  /** Tensors with more dimensions are refused (torch itself allows 64 at most on most paths). */
  static final int MAX_DIMS = 64;
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final TorchStorage storage;
  private final long offset;
  private final long[] shape;
  private final long[] strides;
  private final boolean requiresGrad;
  private final long numel;
  /** Storage elements from {@code offset} to the last element viewed, inclusive; 0 if empty. */
  private final long extent;

  private TorchTensor(TorchStorage storage, long offset, long[] shape, long[] strides, boolean requiresGrad,
      long numel, long extent) {
    this.storage = storage;
    this.offset = offset;
    this.shape = shape;
    this.strides = strides;
    this.requiresGrad = requiresGrad;
    this.numel = numel;
    this.extent = extent;
  }

  /** A view of {@code storage}, refused unless every element it views lies inside the storage. */
  static TorchTensor of(TorchStorage storage, long offset, long[] shape, long[] strides, boolean requiresGrad)
      throws TorchFormatException {
    if (shape.length != strides.length || shape.length > MAX_DIMS) {
      throw new TorchFormatException("tensor with " + shape.length + " dimensions and " + strides.length
          + " strides; expected as many strides as dimensions, at most " + MAX_DIMS);
    }
    String what = "tensor of shape " + Arrays.toString(shape) + ", strides " + Arrays.toString(strides)
        + " and storage offset " + offset;
    if (offset < 0 || Arrays.stream(shape).anyMatch(s -> s < 0) || Arrays.stream(strides).anyMatch(s -> s < 0)) {
      throw new TorchFormatException(what + ": negative size, stride or offset");
    }
    long numel = 1;
    long extent = 1;
    try {
      for (int d = 0; d < shape.length; d++) {
        numel = Math.multiplyExact(numel, shape[d]);
        if (shape[d] > 0) {
          extent = Math.addExact(extent, Math.multiplyExact(shape[d] - 1, strides[d]));
        }
      }
      if (numel == 0) {
        extent = 0;
      }
      if (Math.addExact(offset, extent) > storage.numel()) {
        throw new TorchFormatException(what + " views " + (offset + extent) + " elements of " + storage
            + ", which holds " + storage.numel());
      }
    } catch (ArithmeticException e) {
      throw new TorchFormatException(what + ": the number of elements overflows 64 bits", e);
    }
    return new TorchTensor(storage, offset, shape, strides, requiresGrad, numel, extent);
  }

  /** This view with {@code requiresGrad} as given (what {@code torch._utils._rebuild_parameter} does). */
  TorchTensor withRequiresGrad(boolean value) {
    return new TorchTensor(storage, offset, shape, strides, value, numel, extent);
  }

  public TorchDtype dtype() {
    return storage.dtype();
  }

  public long[] shape() {
    return shape.clone();
  }

  /** Strides in elements, one per dimension. */
  public long[] strides() {
    return strides.clone();
  }

  /** Index in the storage of the first element. */
  public long storageOffset() {
    return offset;
  }

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Number of elements (1 for a 0-dimensional tensor). */
  public long numel() {
    return numel;
  }

  /** The storage this tensor views; tensors saved as views of one tensor share it. */
  public TorchStorage storage() {
    return storage;
  }

  /** Whether the elements lie in row-major order without gaps. */
  public boolean isContiguous() {
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && strides[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  /** The elements as floats; float64 and integers are rounded to the nearest float. */
  public float[] toFloatArray() throws IOException {
    TorchDtype dtype = dtype();
    float[] out = new float[arrayLength()];
    gather((i, bytes, at) -> out[i] = (float) dtype.readDouble(bytes, at));
    return out;
  }

  /** The elements as doubles; int64 beyond 2^53 is rounded. */
  public double[] toDoubleArray() throws IOException {
    TorchDtype dtype = dtype();
    double[] out = new double[arrayLength()];
    gather((i, bytes, at) -> out[i] = dtype.readDouble(bytes, at));
    return out;
  }

  /** The elements of an integer or bool tensor (as 0 and 1); refused for floating point dtypes. */
  public long[] toLongArray() throws IOException {
    TorchDtype dtype = dtype();
    if (dtype.isFloatingPoint()) {
      throw new TorchFormatException(this + " has a floating point dtype; expected integers");
    }
    long[] out = new long[arrayLength()];
    gather((i, bytes, at) -> out[i] = dtype.readLong(bytes, at));
    return out;
  }

  private int arrayLength() throws TorchFormatException {
    if (numel > MAX_ARRAY) {
      throw new TorchFormatException(this + " has " + numel + " elements, more than a Java array holds");
    }
    return (int) numel;
  }

  /** Reads the viewed part of the storage and hands each element, in row-major order, to {@code sink}. */
  private void gather(Sink sink) throws IOException {
    if (numel == 0) {
      return;
    }
    int size = dtype().elementSize();
    if (extent > MAX_ARRAY / size) {
      throw new TorchFormatException(this + " spans " + extent * size + " bytes of its storage; at most "
          + MAX_ARRAY + " can be read at once");
    }
    ByteBuffer bytes = storage.read(offset, (int) extent);
    int n = (int) numel;
    if (isContiguous()) {
      for (int i = 0; i < n; i++) {
        sink.put(i, bytes, i * size);
      }
      return;
    }
    long[] index = new long[shape.length];
    long position = 0;
    for (int i = 0; i < n; i++) {
      sink.put(i, bytes, (int) position * size);
      for (int d = shape.length - 1; d >= 0; d--) {
        position += strides[d];
        if (++index[d] < shape[d]) {
          break;
        }
        position -= strides[d] * shape[d];
        index[d] = 0;
      }
    }
  }

  private interface Sink {
    void put(int index, ByteBuffer bytes, int at);
  }

  @Override
  public String toString() {
    return "tensor " + dtype().name().toLowerCase() + Arrays.toString(shape);
  }
}
