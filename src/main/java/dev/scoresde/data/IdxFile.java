package dev.scoresde.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * An unsigned-byte IDX file (the MNIST format: magic 0x0000 08 nd, then nd big-endian int32 dimensions,
 * then the bytes), optionally gzip-compressed (".gz").
 *
 * @param dims the dimensions, e.g. (60000, 28, 28) for images or (60000) for labels
 * @param data the values in row-major order, as unsigned bytes
 */
public record IdxFile(int[] dims, byte[] data) {

  public static IdxFile read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("IDX file not found: " + file);
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      DataInputStream d = new DataInputStream(in);
      int magic = d.readInt();
      if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
        throw new IOException(file + " is not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
      }
      int nd = magic & 0xFF;
      int[] dims = new int[nd];
      long size = 1;
      for (int i = 0; i < nd; i++) {
        dims[i] = d.readInt();
        size *= dims[i];
      }
      if (size > Integer.MAX_VALUE - 8) {
        throw new IOException(file + " is too large (" + size + " values)");
      }
      byte[] data = new byte[(int) size];
      d.readFully(data);
      return new IdxFile(dims, data);
    }
  }

  /** The value at flat index i as 0..255. */
  public int unsigned(int i) {
    return data[i] & 0xFF;
  }
}
