package dev.scoresde.serve.runtime.redis;

import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.task.Metadata;
import dev.scoresde.serve.task.OperationResult;
import dev.scoresde.tensor.ValueRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A result as stored in Redis: a length-prefixed JSON header (model, operation, shape, range, metadata and its
 * type) followed by the images' and latents' float32 values, so a reader that needs only the metadata (quota
 * accounting) reads the header alone ({@link #headerLength}).
 */
final class ResultCodec {
  private ResultCodec() {}

  /** The header, in JSON. */
  record Header(String model, OperationKind operation, DataShape shape, ValueRange range, String metadataType,
      String metadata) {}

  static byte[] encode(OperationResult r) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      Header h = new Header(r.model(), r.operation(), r.shape(), r.range(),
          r.metadata() == null ? null : r.metadata().getClass().getSimpleName(),
          r.metadata() == null ? null : OperationCodec.JSON.writeValueAsString(r.metadata()));
      byte[] header = OperationCodec.JSON.writeValueAsBytes(h);
      out.writeInt(header.length);
      out.write(header);
      writeAll(out, r.images());
      writeAll(out, r.latents());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole result. */
  static OperationResult decode(byte[] stored) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
      Header h = header(in);
      List<float[]> images = readAll(in);
      List<float[]> latents = readAll(in);
      return new OperationResult(h.model(), h.operation(), h.shape(), h.range(), images, latents, metadata(h));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The header's length from the first four stored bytes. */
  static int headerLength(byte[] firstFour) {
    return ByteBuffer.wrap(firstFour).getInt();
  }

  /** A result without its images and latents, from the header's bytes (after the length). */
  static OperationResult metadataOnly(byte[] header) {
    Header h = OperationCodec.JSON.readValue(header, Header.class);
    return new OperationResult(h.model(), h.operation(), h.shape(), h.range(), null, null, metadata(h));
  }

  private static Header header(DataInputStream in) throws IOException {
    byte[] header = new byte[in.readInt()];
    in.readFully(header);
    return OperationCodec.JSON.readValue(header, Header.class);
  }

  private static Metadata metadata(Header h) {
    if (h.metadataType() == null) {
      return null;
    }
    for (Class<?> c : Metadata.class.getPermittedSubclasses()) {
      if (c.getSimpleName().equals(h.metadataType())) {
        return (Metadata) OperationCodec.JSON.readValue(h.metadata().getBytes(StandardCharsets.UTF_8), c);
      }
    }
    throw new IllegalStateException("unknown metadata type " + h.metadataType());
  }

  private static void writeAll(DataOutputStream out, List<float[]> arrays) throws IOException {
    out.writeInt(arrays.size());
    for (float[] a : arrays) {
      out.writeInt(a.length);
      for (float v : a) {
        out.writeFloat(v);
      }
    }
  }

  private static List<float[]> readAll(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] a = new float[in.readInt()];
      for (int j = 0; j < a.length; j++) {
        a[j] = in.readFloat();
      }
      out.add(a);
    }
    return out;
  }
}
