package dev.scoresde.checkpoint.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.checkpoint.torch.TorchFiles.Pickle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/** Malicious and malformed checkpoints: each is refused with a TorchFormatException that says what it found. */
class PickleHostileTest {
  static final byte[] FOUR_FLOATS = new byte[16];
  @TempDir Path dir;

  static void assertRefused(String fragment, Executable read) {
    TorchFormatException e = assertThrows(TorchFormatException.class, read);
    assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in: " + e.getMessage());
  }

  /** Opens {@code pickle} as the data.pkl of a torch-style zip with one storage '0' of four floats. */
  void assertRefusedPickle(String fragment, byte[] pickle) throws IOException {
    Path file = TorchFiles.write(Files.createTempFile(dir, "hostile", ".pth"), pickle, Map.of("0", FOUR_FLOATS));
    assertRefused(fragment, () -> TorchCheckpoint.open(file).close());
  }

  void assertRefusedFixture(String fragment, String name) {
    assertRefused(fragment, () -> TorchCheckpoint.open(TorchFiles.fixture(name)).close());
  }

  @Test
  void refusesGlobalsOutsideTheAllowList() throws IOException {
    assertRefusedFixture("global 'posix.system' is not allowed in a checkpoint (allowed: collections.OrderedDict,",
        "evil_system.pth");
    assertRefusedFixture("_codecs.encode (latin1 only)) [GLOBAL at byte 17 of data.pkl]", "evil_system.pth");
    assertRefusedFixture("global '__builtin__.eval' is not allowed", "evil_eval.pth");
    assertRefusedFixture("global '__main__.Thing' is not allowed", "evil_class.pth");
    assertRefusedPickle("global 'os.system' is not allowed",
        new Pickle().op(0x80, 4).op(0x8c, 2).op('o', 's').op(0x8c, 6).raw("system".getBytes(StandardCharsets.US_ASCII))
            .op(0x93).bytes());
    assertRefusedPickle("global 'torch.load' is not allowed", Pickle.proto2().global("torch", "load").bytes());
  }

  @Test
  void refusesOpcodesThatBuildObjects() throws IOException {
    byte[] od = "collections\nOrderedDict\n".getBytes(StandardCharsets.US_ASCII);
    assertRefusedPickle("pickle opcode 0x81 NEWOBJ is not allowed [NEWOBJ at byte 28 of data.pkl]",
        Pickle.proto2().global("collections", "OrderedDict").op(')', 0x81).bytes());
    assertRefusedPickle("pickle opcode 0x69 INST is not allowed", Pickle.proto2().op('(', 'i').raw(od).bytes());
    assertRefusedPickle("pickle opcode 0x6f OBJ is not allowed",
        Pickle.proto2().op('(').global("collections", "OrderedDict").op('o').bytes());
    assertRefusedPickle("pickle opcode 0x50 PERSID is not allowed", Pickle.proto2().op('P', '0', '\n').bytes());
    assertRefusedPickle("pickle opcode 0x82 EXT1 is not allowed", Pickle.proto2().op(0x82, 1).bytes());
    assertRefusedPickle("unknown pickle opcode 0xff at byte 2 of data.pkl", Pickle.proto2().op(0xff).bytes());
    assertRefusedPickle("cannot call torch.FloatStorage with 0 arguments",
        Pickle.proto2().global("torch", "FloatStorage").op(')', 'R').bytes());
    assertRefusedPickle("REDUCE calls a string; only globals can be called",
        Pickle.proto2().str("os").op(')', 'R').bytes());
    assertRefusedPickle("BUILD on a dict of 0; only an OrderedDict's attributes and a numpy dtype's state are accepted",
        Pickle.proto2().op('}', '}', 'b').bytes());
  }

  @Test
  void acceptsNumpyNumberScalarsOnly() throws IOException {
    // numpy.dtype('O') would unpickle arbitrary objects; only fixed-size numbers are known
    assertRefusedPickle("numpy dtype 'O' is not allowed",
        Pickle.proto2().global("numpy", "dtype").str("O").op(0x89, 0x88, 0x87, 'R').bytes());
    assertRefusedPickle("cannot call _codecs.encode with 2 arguments",
        Pickle.proto2().global("_codecs", "encode").str("x").str("utf-16").op(0x86, 'R').bytes());
    assertRefusedPickle("cannot call numpy.core.multiarray.scalar with 2 arguments",
        Pickle.proto2().global("numpy.core.multiarray", "scalar").str("f8").str("x").op(0x86, 'R').bytes());
    assertRefusedPickle("numpy byte order '>' is not supported",
        Pickle.proto2().global("numpy", "dtype").str("f8").op(0x89, 0x88, 0x87, 'R').op('(', 'K', 3).str(">")
            .op('t', 'b').bytes());
    Path file = TorchFiles.write(Files.createTempFile(dir, "lr", ".pth"), Pickle.proto2()
        .global("numpy.core.multiarray", "scalar").global("numpy", "dtype").str("f8").op(0x89, 0x88, 0x87, 'R')
        .op('(', 'K', 3).str("<").op('N', 'N', 'N', 'K', 0, 'K', 0, 'K', 0, 't', 'b')
        .global("_codecs", "encode").str("\u0000\u0000\u0000\u0000\u0000\u0000\u00e0\u003f").str("latin1")
        .op(0x86, 'R', 0x86, 'R', '.').bytes(), Map.of("0", FOUR_FLOATS));
    try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
      assertEquals(0.5, c.root()); // run_lib's warm-up learning rate is such a numpy float64
    }
  }

  @Test
  void refusesBrokenPickleStructure() throws IOException {
    assertRefusedPickle("memo entry 5 is not defined", Pickle.proto2().op('h', 5).bytes());
    assertRefusedPickle("pickle stack underflow", Pickle.proto2().op('a').bytes());
    assertRefusedPickle("ends without a STOP", Pickle.proto2().op('N').bytes());
    assertRefusedPickle("pickle protocol 9 is not supported", new Pickle().op(0x80, 9).bytes());
    assertRefusedPickle("changed after it was put into another container",
        Pickle.proto2().op(']', 'q', 0, 'h', 0, 'a', '.').bytes());
    assertRefusedPickle("a list of 0 cannot be a dict key", Pickle.proto2().op('}', ']', 'N', 's', '.').bytes());
    assertRefusedPickle("integer of 2147483647 bytes (at most 1024 are accepted)",
        Pickle.proto2().op(0x8b).u32(0x7fffffff).bytes());
    assertRefusedPickle("a length of 4294967280 runs past the end of data.pkl (3 bytes left)",
        Pickle.proto2().op('X').u32(0xfffffff0L).op('a', 'b', 'c').bytes());
    assertRefusedPickle("persistent id is a string", Pickle.proto2().str("0").op('Q').bytes());
  }

  @Test
  void refusesDeepNestingWithoutOverflowingTheStack() throws IOException {
    int n = 100_000;
    Pickle marks = Pickle.proto2();
    Pickle lists = Pickle.proto2();
    Pickle tuples = Pickle.proto2().op('N');
    for (int i = 0; i < n; i++) {
      marks.op('(');
      lists.op(']');
      tuples.op(0x85);
    }
    for (int i = 0; i < n; i++) {
      marks.op('l');
      lists.op('a');
    }
    assertRefusedPickle("more than 200 nested MARKs", marks.op('.').bytes());
    assertRefusedPickle("values are nested deeper than 200 levels", lists.op('.').bytes());
    assertRefusedPickle("values are nested deeper than 200 levels", tuples.op('.').bytes());
  }

  @Test
  void refusesTensorsOutsideTheirStorage() throws IOException {
    assertRefusedPickle("views 1000000000000 elements of storage '0' (float32[4]), which holds 4",
        Pickle.tensorDict("FloatStorage", "0", 4, 0, new long[] {1_000_000, 1_000_000}, new long[] {1_000_000, 1}));
    assertRefusedPickle("storage offset 10 views 12 elements",
        Pickle.tensorDict("FloatStorage", "0", 4, 10, new long[] {2}, new long[] {1}));
    assertRefusedPickle("negative size, stride or offset",
        Pickle.tensorDict("FloatStorage", "0", 4, 0, new long[] {-2}, new long[] {1}));
    assertRefusedPickle("overflows 64 bits",
        Pickle.tensorDict("FloatStorage", "0", 4, 0, new long[] {1L << 40, 1L << 40}, new long[] {0, 0}));
    assertRefusedPickle("storage '7' is missing: the archive has no entry 'archive/data/7'",
        Pickle.tensorDict("FloatStorage", "7", 4, 0, new long[] {2}, new long[] {1}));
    assertRefusedPickle("storage '0' of 4 float64 elements does not match its entry of 16 bytes",
        Pickle.tensorDict("DoubleStorage", "0", 4, 0, new long[] {2}, new long[] {1}));
    assertRefusedPickle("storage '0' of 5 float32 elements does not match",
        Pickle.tensorDict("FloatStorage", "0", 5, 0, new long[] {2}, new long[] {1}));
  }

  @Test
  void refusesTensorsTooLargeForAnArrayWhenRead() throws IOException {
    byte[] pickle = Pickle.tensorDict("FloatStorage", "0", 4, 0, new long[] {100_000, 100_000}, new long[] {0, 0});
    Path file = TorchFiles.write(dir.resolve("broadcast.pth"), pickle, Map.of("0", FOUR_FLOATS));
    try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
      TorchTensor t = TorchValues.asTensor(TorchValues.asStringMap(c.root(), "root").get("t"), "t");
      assertEquals(10_000_000_000L, t.numel());
      assertRefused("tensor float32[100000, 100000] has 10000000000 elements, more than a Java array holds",
          t::toFloatArray);
    }
  }

  @Test
  void refusesFilesThatAreNotTorchSaveArchives() throws IOException {
    assertRefusedFixture("legacy torch.save format (torch < 1.6); re-save it with torch ≥ 1.6", "legacy.pth");
    assertRefusedFixture("is a TorchScript archive (torch.jit.save)", "torchscript.pt");
    Path text = Files.writeString(dir.resolve("notes.pth"), "just some text");
    assertRefused("notes.pth is not a zip archive", () -> TorchCheckpoint.open(text));
    Path bare = Files.write(dir.resolve("bare.pth"), Pickle.proto2().op('N', '.').bytes());
    assertRefused("is a bare pickle", () -> TorchCheckpoint.open(bare));
    Path empty = Files.write(dir.resolve("empty.pth"), new byte[0]);
    assertRefused("is not a zip archive", () -> TorchCheckpoint.open(empty));

    Map<String, byte[]> two = new LinkedHashMap<>(TorchFiles.entries(TorchFiles.fixture("evil_eval.pth")));
    two.put("other/data.pkl", Pickle.proto2().op('N', '.').bytes());
    Path twoFolders = Files.write(dir.resolve("two.pth"), TorchFiles.zip(two, false));
    assertRefused("several top-level folders (evil_eval/, other/)", () -> TorchCheckpoint.open(twoFolders));

    Path noPickle = Files.write(dir.resolve("nopickle.pth"),
        TorchFiles.zip(Map.of("archive/version", new byte[] {'3'}), false));
    assertRefused("has no archive/data.pkl", () -> TorchCheckpoint.open(noPickle));
    Path loose = Files.write(dir.resolve("loose.pth"), TorchFiles.zip(Map.of("data.pkl", new byte[] {'N'}), false));
    assertRefused("the zip entry 'data.pkl' outside a top-level folder", () -> TorchCheckpoint.open(loose));
    Path truncated = Files.write(dir.resolve("truncated.pth"),
        java.util.Arrays.copyOf(Files.readAllBytes(TorchFiles.fixture("score_sde.pth")), 4000));
    assertThrows(IOException.class, () -> TorchCheckpoint.open(truncated));
  }

  @Test
  void limitsAreConfigurable() throws IOException {
    TorchCheckpoint.Limits small = new TorchCheckpoint.Limits(1000, 10, 5, 10, 100, 2, 100);
    assertRefused("data.pkl has 2", () -> TorchCheckpoint.open(TorchFiles.fixture("tensors.pth"), small));
    assertRefused("zip entries, more than 5", () -> TorchCheckpoint.open(TorchFiles.fixture("score_sde.pth"),
        new TorchCheckpoint.Limits(1 << 20, 1 << 20, 200, 1 << 20, 1 << 20, 1 << 20, 5)));
    assertRefused("more than 2 storages", () -> TorchCheckpoint.open(TorchFiles.fixture("score_sde.pth"),
        new TorchCheckpoint.Limits(1 << 20, 1 << 20, 200, 1 << 20, 1 << 20, 2, 100)));
    assertRefused("more than 10 memo entries", () -> TorchCheckpoint.open(TorchFiles.fixture("score_sde.pth"),
        new TorchCheckpoint.Limits(1 << 20, 10, 200, 1 << 20, 1 << 20, 100, 100)));
    assertRefused("more than 100 values", () -> TorchCheckpoint.open(TorchFiles.fixture("score_sde.pth"),
        new TorchCheckpoint.Limits(1 << 20, 1 << 20, 200, 1 << 20, 100, 100, 100)));
  }
}
