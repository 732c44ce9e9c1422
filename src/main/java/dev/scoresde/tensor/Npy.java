package dev.scoresde.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} files (format 1.0–3.0): reads little-endian float32, float64, int64 and int32 arrays in C
 * order; writes float32. The bridge to Python for users checking an import ({@code np.load}, {@code np.save}).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final long MAX_BYTES = 1L << 31;

  private Npy() {}

  /** The array in {@code file}, created in {@code manager} with its own dtype. */
  public static NDArray read(Path file, NDManager manager) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (byte b : MAGIC) {
      if (!buf.hasRemaining() || buf.get() != b) {
        throw new IOException(file + " is not a .npy file");
      }
    }
    if (buf.remaining() < 4) {
      throw new IOException(file + ": truncated header");
    }
    int major = buf.get();
    buf.get();
    long headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort()) : Integer.toUnsignedLong(buf.getInt());
    if (headerLength > buf.remaining()) {
      throw new IOException(file + ": header longer than the file");
    }
    String header = new String(bytes, buf.position(), (int) headerLength, StandardCharsets.ISO_8859_1);
    buf.position(buf.position() + (int) headerLength);
    String descr = group(DESCR, header, file);
    if (group(FORTRAN, header, file).equals("True")) {
      throw new IOException(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
    }
    Shape shape = parseShape(group(SHAPE, header, file), file);
    DataType type = switch (descr) {
      case "<f4" -> DataType.FLOAT32;
      case "<f8" -> DataType.FLOAT64;
      case "<i8" -> DataType.INT64;
      case "<i4" -> DataType.INT32;
      default -> throw new IOException(file + ": dtype " + descr + " is not supported (float32, float64, int64, int32)");
    };
    long needed = shape.size() * type.getNumOfBytes();
    if (needed != buf.remaining()) {
      throw new IOException(file + ": shape " + shape + " of " + descr + " needs " + needed + " bytes, the file has "
          + buf.remaining());
    }
    ByteBuffer data = manager.allocateDirect(Math.toIntExact(needed)).order(ByteOrder.nativeOrder());
    ByteBuffer src = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      data.put(src);
    } else {
      throw new IOException("big-endian hosts are not supported");
    }
    data.rewind();
    return manager.create(data, shape, type);
  }

  /** Writes {@code array} as float32 (format 1.0), atomically (temporary file, then rename). */
  public static void writeFloat32(NDArray array, Path file) throws IOException {
    float[] v = array.toType(DataType.FLOAT32, false).toFloatArray();
    StringBuilder dims = new StringBuilder();
    for (long d : array.getShape().getShape()) {
      dims.append(d).append(", ");
    }
    String shape = array.getShape().dimension() == 1 ? dims.toString().trim() : dims.toString().replaceAll(", $", "");
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
    int total = MAGIC.length + 4 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    out.put(header.getBytes(StandardCharsets.ISO_8859_1));
    for (float f : v) {
      out.putFloat(f);
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, out.array());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String group(Pattern p, String header, Path file) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(file + ": malformed header " + header.trim());
    }
    return m.group(1);
  }

  private static Shape parseShape(String dims, Path file) throws IOException {
    List<Long> out = new ArrayList<>();
    long size = 1;
    for (String d : dims.split(",")) {
      if (d.isBlank()) {
        continue;
      }
      try {
        long v = Long.parseLong(d.trim());
        if (v < 0 || (v > 0 && size > MAX_BYTES / v)) {
          throw new IOException(file + ": bad shape (" + dims + ")");
        }
        size *= v;
        out.add(v);
      } catch (NumberFormatException e) {
        throw new IOException(file + ": bad shape (" + dims + ")");
      }
    }
    return new Shape(out.stream().mapToLong(Long::longValue).toArray());
  }
}
