package dev.scoresde.checkpoint.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A PyTorch checkpoint ({@code torch.save}, zip format of torch ≥ 1.6) read without Python and without running any
 * of its pickle: {@link #root()} is the saved object as plain Java values (see {@link RestrictedUnpickler}), its
 * tensors read their elements from the archive only when asked, so files of several GB open quickly. Closing the
 * checkpoint ends those reads.
 */
public final class TorchCheckpoint implements AutoCloseable {
  /** The first bytes of a pre-1.6 {@code torch.save} file: a pickled magic number. */
  private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c};

  /**
   * Bounds on what a checkpoint may make the reader allocate.
   *
   * @param maxPickleBytes size of {@code data.pkl}
   * @param maxMemoEntries entries of the pickle memo
   * @param maxDepth nesting of values and of pickle MARKs
   * @param maxStackSize values on the pickle stack at once
   * @param maxValues values the pickle creates (a tensor takes about ten)
   * @param maxStorages distinct storages
   * @param maxZipEntries entries of the zip
   */
  public record Limits(int maxPickleBytes, int maxMemoEntries, int maxDepth, int maxStackSize, long maxValues,
      int maxStorages, int maxZipEntries) {
    /** 64 MiB of pickle, 1M memo entries, depth 200, 1M stack values, 4M values, 256K storages, 1M zip entries. */
    public static final Limits DEFAULT = new Limits(64 << 20, 1 << 20, 200, 1 << 20, 4 << 20, 1 << 18, 1 << 20);

    public Limits {
      if (maxPickleBytes <= 0 || maxPickleBytes > Integer.MAX_VALUE - 8 || maxMemoEntries <= 0 || maxDepth <= 0
          || maxStackSize <= 0 || maxValues <= 0 || maxStorages <= 0 || maxZipEntries <= 0) {
        throw new IllegalArgumentException("limits must be positive (and data.pkl below 2 GiB): " + this);
      }
    }
  }

  private final TorchArchive archive;
  private final Object root;

  private TorchCheckpoint(TorchArchive archive, Object root) {
    this.archive = archive;
    this.root = root;
  }

  /** Opens {@code file} with the {@link Limits#DEFAULT default limits}. */
  public static TorchCheckpoint open(Path file) throws IOException {
    return open(file, Limits.DEFAULT);
  }

  /** Opens {@code file}, reads and checks its {@code data.pkl} and the size of every storage it names. */
  public static TorchCheckpoint open(Path file, Limits limits) throws IOException {
    checkHead(file);
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new TorchFormatException(file + " is not a readable zip archive: " + e.getMessage(), e);
    }
    try {
      return read(file, zip, limits);
    } catch (IOException | RuntimeException | Error e) {
      zip.close();
      throw e;
    }
  }

  private static TorchCheckpoint read(Path file, ZipFile zip, Limits limits) throws IOException {
    String folder;
    ZipEntry pickle;
    ZipEntry byteorder;
    try {
      folder = topFolder(file, zip, limits);
      if (zip.getEntry(folder + "constants.pkl") != null || zip.stream().anyMatch(e -> e.getName().startsWith(
          folder + "code/"))) {
        throw new TorchFormatException(file + " is a TorchScript archive (torch.jit.save); save the model's"
            + " state_dict() with torch.save instead");
      }
      pickle = zip.getEntry(folder + "data.pkl");
      byteorder = zip.getEntry(folder + "byteorder");
    } catch (IllegalArgumentException e) {
      throw new TorchFormatException(file + " has a malformed zip directory: " + e.getMessage(), e);
    }
    if (pickle == null) {
      throw new TorchFormatException(file + " has no " + folder + "data.pkl; it is not a torch.save archive");
    }
    ByteOrder order = byteorder == null ? ByteOrder.LITTLE_ENDIAN : byteOrder(file, zip, byteorder);
    TorchArchive archive = new TorchArchive(file, zip, order);
    byte[] data = readPickle(file, zip, pickle, limits);
    Map<String, TorchStorage> storages = new HashMap<>();
    RestrictedUnpickler.Storages resolver = (key, dtype, location, numel) -> {
      TorchStorage known = storages.get(key);
      if (known != null) {
        if (known.dtype() != dtype || known.numel() != numel) {
          throw new TorchFormatException(known + " is named again as " + dtype.name().toLowerCase() + "[" + numel
              + "]");
        }
        return known;
      }
      if (storages.size() >= limits.maxStorages()) {
        throw new TorchFormatException("more than " + limits.maxStorages() + " storages");
      }
      TorchStorage s = storage(zip, archive, folder, key, dtype, location, numel);
      storages.put(key, s);
      return s;
    };
    Object root = new RestrictedUnpickler(data, limits, resolver).load();
    return new TorchCheckpoint(archive, root);
  }

  /** The object that was saved: usually a dict of strings to tensors, numbers and further dicts and lists. */
  public Object root() {
    return root;
  }

  @Override
  public void close() throws IOException {
    archive.close();
  }

  private static void checkHead(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(LEGACY_MAGIC.length);
    }
    if (Arrays.equals(head, LEGACY_MAGIC)) {
      throw new TorchFormatException(file + " is in the legacy torch.save format (torch < 1.6); re-save it with"
          + " torch ≥ 1.6: torch.save(torch.load(path), path)");
    }
    if (head.length < 4 || head[0] != 'P' || head[1] != 'K' || !(head[2] == 3 && head[3] == 4 || head[2] == 5
        && head[3] == 6)) {
      String what = head.length > 0 && (head[0] & 0xff) == 0x80 ? "a bare pickle" : "not a zip archive";
      throw new TorchFormatException(file + " is " + what + ", expected a torch.save checkpoint (zip format)");
    }
  }

  /** The one top-level folder, with its trailing slash. */
  private static String topFolder(Path file, ZipFile zip, Limits limits) throws TorchFormatException {
    if (zip.size() > limits.maxZipEntries()) {
      throw new TorchFormatException(file + " has " + zip.size() + " zip entries, more than "
          + limits.maxZipEntries());
    }
    TreeSet<String> folders = new TreeSet<>();
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      String name = e.nextElement().getName();
      int slash = name.indexOf('/');
      if (slash <= 0) {
        throw new TorchFormatException(file + " has the zip entry '" + Quote.of(name)
            + "' outside a top-level folder; a torch.save archive has one folder");
      }
      folders.add(name.substring(0, slash + 1));
      if (folders.size() > 1) {
        throw new TorchFormatException(file + " has several top-level folders (" + Quote.of(String.join(", ",
            folders)) + "); a torch.save archive has one");
      }
    }
    if (folders.isEmpty()) {
      throw new TorchFormatException(file + " is an empty zip archive");
    }
    return folders.first();
  }

  private static ByteOrder byteOrder(Path file, ZipFile zip, ZipEntry entry) throws IOException {
    String text;
    try (InputStream in = zip.getInputStream(entry)) {
      text = new String(in.readNBytes(16), StandardCharsets.US_ASCII).strip();
    }
    return switch (text) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default -> throw new TorchFormatException(file + " has byteorder '" + Quote.of(text)
          + "', expected little or big");
    };
  }

  private static byte[] readPickle(Path file, ZipFile zip, ZipEntry entry, Limits limits) throws IOException {
    if (entry.getSize() > limits.maxPickleBytes()) {
      throw new TorchFormatException(file + ": data.pkl has " + entry.getSize() + " bytes, more than the limit of "
          + limits.maxPickleBytes());
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] data = in.readNBytes(limits.maxPickleBytes() + 1);
      if (data.length > limits.maxPickleBytes()) {
        throw new TorchFormatException(file + ": data.pkl has more than " + limits.maxPickleBytes() + " bytes");
      }
      return data;
    }
  }

  /** The storage {@code data/<key>}, refused unless the entry holds exactly {@code numel} elements. */
  private static TorchStorage storage(ZipFile zip, TorchArchive archive, String folder, String key, TorchDtype dtype,
      String location, long numel) throws TorchFormatException {
    String name = folder + "data/" + key;
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new TorchFormatException("storage '" + Quote.of(key) + "' is missing: the archive has no entry '"
          + Quote.of(name) + "'");
    }
    if (numel < 0 || numel > entry.getSize() / dtype.elementSize() || numel * dtype.elementSize() != entry.getSize()) {
      throw new TorchFormatException("storage '" + Quote.of(key) + "' of " + numel + " " + dtype.name().toLowerCase()
          + " elements does not match its entry of " + entry.getSize() + " bytes");
    }
    return new TorchStorage(archive, entry, key, dtype, location, numel);
  }
}
