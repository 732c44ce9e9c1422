package dev.scoresde.checkpoint.torch;

import static dev.scoresde.checkpoint.torch.TorchValues.asList;
import static dev.scoresde.checkpoint.torch.TorchValues.asMap;
import static dev.scoresde.checkpoint.torch.TorchValues.asStringMap;
import static dev.scoresde.checkpoint.torch.TorchValues.asTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads checkpoints written by torch 1.13 (tools/torch-fixtures/make_fixtures.py) and compares every value. */
class TorchCheckpointTest {
  static final JsonNode EXPECTED = JsonMapper.builder().build().readTree(TorchFiles.fixture("expected.json").toFile());
  @TempDir Path dir;

  /** Dtype, shape, strides, offset, requires_grad and all elements, exactly. */
  static void assertTensor(JsonNode expected, Object value, String what) throws IOException {
    TorchTensor t = asTensor(value, what);
    assertEquals(expected.get("dtype").asString().toUpperCase(), t.dtype().name(), what);
    assertArrayEquals(longs(expected.get("shape")), t.shape(), what);
    assertArrayEquals(longs(expected.get("stride")), t.strides(), what);
    assertEquals(expected.get("offset").asLong(), t.storageOffset(), what);
    assertEquals(expected.get("requires_grad").asBoolean(), t.requiresGrad(), what);
    JsonNode values = expected.get("values");
    assertEquals(values.size(), t.numel(), what);
    double[] doubles = t.toDoubleArray();
    float[] floats = t.toFloatArray();
    for (int i = 0; i < values.size(); i++) {
      double e = values.get(i).isBoolean() ? (values.get(i).asBoolean() ? 1 : 0) : values.get(i).asDouble();
      if (t.dtype() != TorchDtype.INT64) {
        assertEquals(e, doubles[i], 0, what + "[" + i + "]");
      }
      assertEquals((float) e, floats[i], 0, what + "[" + i + "]");
    }
    if (!t.dtype().isFloatingPoint()) {
      long[] longs = t.toLongArray();
      for (int i = 0; i < values.size(); i++) {
        long e = values.get(i).isBoolean() ? (values.get(i).asBoolean() ? 1 : 0) : values.get(i).asLong();
        assertEquals(e, longs[i], what + "[" + i + "]");
      }
    } else {
      assertThrows(TorchFormatException.class, t::toLongArray);
    }
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  @Test
  void readsEveryDtypeLayoutAndNestedValueOfTorch113() throws IOException {
    JsonNode expected = EXPECTED.get("tensors");
    try (TorchCheckpoint c = TorchCheckpoint.open(TorchFiles.fixture("tensors.pth"))) {
      Map<String, Object> root = asStringMap(c.root(), "root");
      int checked = 0;
      for (Map.Entry<String, JsonNode> e : expected.properties()) {
        String name = e.getKey();
        Object value;
        if (name.startsWith("ordered.")) {
          value = asStringMap(root.get("ordered"), "ordered").get(name.substring(8));
        } else if (name.startsWith("ema.shadow_params.")) {
          value = asList(asStringMap(root.get("ema"), "ema").get("shadow_params"), "ema.shadow_params")
              .get(Integer.parseInt(name.substring(18)));
        } else {
          value = root.get(name);
        }
        assertTensor(e.getValue(), value, name);
        checked++;
      }
      assertEquals(24, checked);

      TorchTensor base = asTensor(root.get("base"), "base");
      assertSame(base.storage(), asTensor(root.get("slice"), "slice").storage());
      assertSame(base.storage(), asTensor(root.get("strided"), "strided").storage());
      assertSame(asTensor(root.get("transposed"), "transposed").storage(),
          asTensor(root.get("column"), "column").storage());
      assertFalse(asTensor(root.get("transposed"), "transposed").isContiguous());
      assertTrue(asTensor(root.get("param"), "param").requiresGrad());
      assertEquals(0, asTensor(root.get("scalar"), "scalar").shape().length);

      Map<String, Object> ordered = asStringMap(root.get("ordered"), "ordered");
      assertEquals(List.of("w", "b"), new ArrayList<>(ordered.keySet()));

      Map<String, Object> nested = asStringMap(root.get("nested"), "nested");
      Map<Object, Object> state = asMap(nested.get("state"), "nested.state");
      assertEquals(Map.of("step", 3L, "flag", true), state.get(0L));
      assertEquals(Map.of("step", 3.0, "flag", false), state.get(1L));
      Map<String, Object> group = asStringMap(asList(nested.get("groups"), "groups").get(0), "groups[0]");
      assertEquals(2e-4, group.get("lr"));
      assertEquals(List.of(0.9, 0.999), group.get("betas"));
      assertTrue(group.get("betas") instanceof PickleTuple);
      assertEquals(1e-8, group.get("eps"));
      assertEquals(false, group.get("amsgrad"));
      assertTrue(group.containsKey("foreach"));
      assertNull(group.get("foreach"));
      assertEquals(new ArrayList<>(List.of(0L, 1L)), group.get("params"));
      assertEquals("héllo ✓", group.get("name"));
      assertEquals(BigInteger.TWO.pow(70), nested.get("big"));
      assertEquals(Long.MIN_VALUE, nested.get("neg"));
      assertEquals(-5L, nested.get("small"));
      assertEquals(40000L, nested.get("int2"));
      assertEquals(List.of(), nested.get("empty_tuple"));
      assertEquals(Arrays.asList((Object) null), nested.get("single"));

      Map<String, Object> ema = asStringMap(root.get("ema"), "ema");
      assertEquals(0.999, ema.get("decay"));
      assertEquals(3L, ema.get("num_updates"));
      assertSame(base.storage(), asTensor(asList(ema.get("shadow_params"), "s").get(0), "s[0]").storage());
    }
  }

  @Test
  void readsAScoreSdeCheckpoint() throws IOException {
    JsonNode expected = EXPECTED.get("score_sde");
    try (TorchCheckpoint c = TorchCheckpoint.open(TorchFiles.fixture("score_sde.pth"))) {
      Map<String, Object> root = asStringMap(c.root(), "root");
      assertEquals(Set.of("optimizer", "model", "ema", "step"), root.keySet());
      assertEquals(1L, root.get("step"));
      Map<String, Object> model = asStringMap(root.get("model"), "model");
      assertEquals(List.of("module.frozen", "module.sigmas", "module.conv.weight", "module.conv.bias",
          "module.norm.weight", "module.norm.bias", "module.dense.weight", "module.dense.bias"),
          new ArrayList<>(model.keySet()));
      Map<String, Object> optimizer = asStringMap(root.get("optimizer"), "optimizer");
      Map<Object, Object> state = asMap(optimizer.get("state"), "optimizer.state");
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), new ArrayList<>(state.keySet()));
      List<Object> shadow = asList(asStringMap(root.get("ema"), "ema").get("shadow_params"), "ema.shadow_params");
      assertEquals(6, shadow.size());
      assertEquals(0.999, asStringMap(root.get("ema"), "ema").get("decay"));
      assertEquals(1L, asStringMap(root.get("ema"), "ema").get("num_updates"));
      int checked = 0;
      for (Map.Entry<String, JsonNode> e : expected.properties()) {
        String name = e.getKey();
        if (name.equals("optimizer.param_groups")) {
          continue;
        }
        Object value;
        if (name.startsWith("model.")) {
          value = model.get(name.substring(6));
        } else if (name.startsWith("ema.shadow_params.")) {
          value = shadow.get(Integer.parseInt(name.substring(18)));
        } else {
          String[] parts = name.split("\\.");
          value = asStringMap(state.get(Long.parseLong(parts[2])), name).get(parts[3]);
        }
        assertTensor(e.getValue(), value, name);
        checked++;
      }
      assertEquals(32, checked);
      assertEquals(TorchDtype.FLOAT64, asTensor(model.get("module.sigmas"), "sigmas").dtype());

      Map<String, Object> group = asStringMap(asList(optimizer.get("param_groups"), "param_groups").get(0), "g");
      Map<String, Object> expectedGroup = new LinkedHashMap<>();
      expectedGroup.put("lr", 2e-4);
      expectedGroup.put("betas", List.of(0.9, 0.999));
      expectedGroup.put("eps", 1e-8);
      expectedGroup.put("weight_decay", 0L);
      expectedGroup.put("amsgrad", false);
      expectedGroup.put("maximize", false);
      expectedGroup.put("foreach", null);
      expectedGroup.put("capturable", false);
      expectedGroup.put("differentiable", false);
      expectedGroup.put("fused", false);
      expectedGroup.put("params", List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L));
      assertEquals(expectedGroup, group);
      assertEquals(expected.get("optimizer.param_groups").get(0).size(), group.size());
    }
  }

  @Test
  void readsDeflatedStoragesAndRefusesReadsAfterClose() throws IOException {
    Path file = dir.resolve("deflated.pth");
    Files.write(file, TorchFiles.zip(TorchFiles.entries(TorchFiles.fixture("score_sde.pth")), true));
    TorchTensor sigmas;
    try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
      Map<String, Object> model = asStringMap(asStringMap(c.root(), "root").get("model"), "model");
      sigmas = asTensor(model.get("module.sigmas"), "sigmas");
      assertArrayEquals(new double[] {50, 5, 0.5, 0.01}, sigmas.toDoubleArray());
    }
    IOException e = assertThrows(IOException.class, sigmas::toDoubleArray);
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
  }

  @Test
  void typedGettersNameThePath() throws IOException {
    try (TorchCheckpoint c = TorchCheckpoint.open(TorchFiles.fixture("score_sde.pth"))) {
      Map<String, Object> root = asStringMap(c.root(), "root");
      TorchFormatException e = assertThrows(TorchFormatException.class,
          () -> asTensor(root.get("step"), "step"));
      assertEquals("step is an int, expected a tensor", e.getMessage());
      e = assertThrows(TorchFormatException.class, () -> TorchValues.get(root, "epoch", "root"));
      assertEquals("root has no key 'epoch'", e.getMessage());
      e = assertThrows(TorchFormatException.class, () -> asStringMap(
          asStringMap(root.get("optimizer"), "optimizer").get("state"), "optimizer.state"));
      assertEquals("optimizer.state has a key that is an int, expected a string", e.getMessage());
    }
  }

  @Test
  void readsProtocol4OpcodesAsPlainJava() throws IOException {
    byte[] pickle = Files.readAllBytes(TorchFiles.fixture("values_p4.pkl"));
    Map<String, Object> v = asStringMap(new RestrictedUnpickler(pickle, TorchCheckpoint.Limits.DEFAULT,
        (key, dtype, location, numel) -> {
          throw new TorchFormatException("no storages");
        }).load(), "root");
    assertEquals(Set.of(1L, 2L, 3L), v.get("set"));
    assertEquals(Set.of("a"), v.get("frozen"));
    assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) v.get("bytes"));
    assertEquals(BigInteger.TWO.pow(100), v.get("big"));
    assertEquals(BigInteger.TWO.pow(70).negate(), v.get("neg"));
    assertEquals(Arrays.asList(1L, 2.5, null), v.get("tuple3"));
    assertEquals(List.of(List.of(1L, List.of(2L, List.of(3L)))), v.get("nested"));
    assertEquals(List.of("a", "b"), new ArrayList<>(asStringMap(v.get("od"), "od").keySet()));
    assertEquals("ünï ✓", v.get("unicode"));
    assertEquals(true, v.get("true"));
    assertEquals(-123456789L, v.get("int"));
  }

  @Test
  void readsZip64Archives() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("big/data.pkl", TorchFiles.Pickle.tensorDict("LongStorage", "0", 2, 1, new long[] {1}, new long[] {1}));
    entries.put("big/data/0", new byte[] {7, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1});
    for (int i = 0; i < 70_000; i++) {
      entries.put("big/extra/" + i, new byte[0]);
    }
    Path file = Files.write(dir.resolve("zip64.pth"), TorchFiles.zip(entries, false));
    try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
      assertArrayEquals(new long[] {-1}, asTensor(asStringMap(c.root(), "root").get("t"), "t").toLongArray());
    }
  }
}
