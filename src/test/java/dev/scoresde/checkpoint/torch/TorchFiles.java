package dev.scoresde.checkpoint.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Hand-made pickles and torch-style zips for tests. */
final class TorchFiles {
  private TorchFiles() {}

  static Path fixture(String name) {
    return Path.of("src/test/resources/torch", name);
  }

  /** The entries of a zip, by name, in order. */
  static Map<String, byte[]> entries(Path zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        out.put(e.getName(), z.getInputStream(e).readAllBytes());
      }
    }
    return out;
  }

  /** A zip of {@code entries}, stored (as torch.save writes them) or deflated. */
  static byte[] zip(Map<String, byte[]> entries, boolean deflate) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        if (!deflate) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          entry.setCrc(crc.getValue());
        }
        out.putNextEntry(entry);
        out.write(e.getValue());
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes a torch-style archive {@code archive/data.pkl} plus {@code archive/data/<key>} storages. */
  static Path write(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("archive/data.pkl", pickle);
    storages.forEach((key, data) -> entries.put("archive/data/" + key, data));
    entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    Files.write(file, zip(entries, false));
    return file;
  }

  /** A pickle assembler: opcodes and their arguments, little-endian as pickle wants. */
  static final class Pickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Pickle proto2() {
      return new Pickle().op(0x80).op(2);
    }

    Pickle op(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }

    Pickle raw(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    Pickle u32(long v) {
      return op((int) v & 0xff, (int) (v >> 8) & 0xff, (int) (v >> 16) & 0xff, (int) (v >> 24) & 0xff);
    }

    Pickle str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      op('X').u32(b.length);
      out.writeBytes(b);
      return this;
    }

    /** BININT, or LONG1 of 8 bytes beyond 32 bits. */
    Pickle integer(long v) {
      if (v == (int) v) {
        return op('J').u32(v);
      }
      return op(0x8a, 8).u32(v).u32(v >> 32);
    }

    Pickle global(String module, String name) {
      op('c');
      out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** {@code torch._utils._rebuild_tensor_v2(storage(key), offset, shape, strides, False, OrderedDict())}. */
    Pickle tensor(String storageClass, String key, long numel, long offset, long[] shape, long[] strides) {
      global("torch._utils", "_rebuild_tensor_v2").op('(');
      op('(').str("storage").global("torch", storageClass).str(key).str("cpu").integer(numel).op('t', 'Q');
      integer(offset).op('(');
      for (long s : shape) {
        integer(s);
      }
      op('t', '(');
      for (long s : strides) {
        integer(s);
      }
      return op('t', 0x89).global("collections", "OrderedDict").op(')', 'R', 't', 'R');
    }

    /** {@code {'t': <tensor>}}. */
    static byte[] tensorDict(String storageClass, String key, long numel, long offset, long[] shape, long[] strides) {
      return proto2().op('}').str("t").tensor(storageClass, key, numel, offset, shape, strides).op('s', '.').bytes();
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
