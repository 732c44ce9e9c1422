package dev.scoresde.checkpoint.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.checkpoint.reference.DiffusersImport;
import dev.scoresde.checkpoint.torch.TorchFormatException;
import dev.scoresde.tensor.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The diffusers fixtures (tools/diffusers-parity/generate.py: random-weight UNet2DModel pipelines run by
 * diffusers 0.27.2) imported as reference networks compute what diffusers' {@code model(x, t).sample} computed,
 * fed the same timesteps as labels (ScoreSdeVe: σ; DDPM: the integer t); and what has no reference equivalent,
 * or does not fit its config, is refused.
 */
class DiffusersParityTest {
  static final Path FIXTURES = Path.of("src/test/resources/diffusers-parity");
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  static Stream<String> fixtures() {
    return Stream.of("ncsnpp-ve", "ddpm-cifar10");
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void importedNetworkComputesWhatDiffusersComputes(String id) throws IOException {
    Path fixture = FIXTURES.resolve(id);
    double err = parity(fixture, fixture.resolve("net_out.npy"));
    System.out.printf("diffusers parity %-14s net_out %.2e%n", id, err);
    assertTrue(err <= ReferenceParityTest.TOLERANCE, id + ": network output differs by " + err);
  }

  /** The DDPM fixture's weights under flip_sin_to_cos = true: linear_1's input halves are swapped. */
  @Test
  void flipSinToCosPermutesTheFirstTimeEmbeddingLayer() throws IOException {
    Path copy = copyFixture("ddpm-cifar10");
    ObjectNode config = (ObjectNode) JSON.readTree(copy.resolve("unet/config.json").toFile());
    config.put("flip_sin_to_cos", !config.get("flip_sin_to_cos").asBoolean());
    JSON.writeValue(copy.resolve("unet/config.json").toFile(), config);
    double err = parity(copy, FIXTURES.resolve("ddpm-cifar10/net_out_flipped.npy"));
    System.out.printf("diffusers parity %-14s net_out %.2e%n", "ddpm-flipped", err);
    assertTrue(err <= ReferenceParityTest.TOLERANCE, "flipped: network output differs by " + err);
  }

  private double parity(Path fixture, Path expected) throws IOException {
    Path model = dir.resolve("model-" + fixture.getFileName());
    DiffusersImport.Result r = DiffusersImport.run(fixture, model, null);
    assertEquals(64, r.card().importedFrom().sha256().length());
    assertEquals(DiffusersImport.IMPLEMENTATION, r.card().importedFrom().implementation());
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel loaded = new CheckpointStore(NetworkFactory.NETWORKS).load(model, m);
      NDArray x = Npy.read(fixture.resolve("x.npy"), m).toType(DataType.FLOAT32, false);
      NDArray labels = Npy.read(fixture.resolve("labels.npy"), m).toType(DataType.FLOAT32, false);
      NDArray out = loaded.network().forward(new ParameterStore(m, false), new NDList(x, labels), false)
          .singletonOrThrow();
      return ReferenceParityTest.error(out, Npy.read(expected, m));
    }
  }

  @Test
  void theDdpmCifar10PortIsRefused() throws IOException {
    // google/ddpm-cifar10-32's UNet: AttnDownBlock2D/AttnUpBlock2D at 16×16, layers_per_block 2
    Path copy = copyFixture("ddpm-cifar10");
    ObjectNode config = (ObjectNode) JSON.readTree(copy.resolve("unet/config.json").toFile());
    config.putArray("block_out_channels").add(128).add(256).add(256).add(256);
    config.putArray("down_block_types").add("DownBlock2D").add("AttnDownBlock2D").add("DownBlock2D").add("DownBlock2D");
    config.putArray("up_block_types").add("UpBlock2D").add("UpBlock2D").add("AttnUpBlock2D").add("UpBlock2D");
    config.put("layers_per_block", 2);
    config.put("sample_size", 32);
    JSON.writeValue(copy.resolve("unet/config.json").toFile(), config);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DiffusersImport.run(copy, dir.resolve("out"), null));
    assertTrue(e.getMessage().contains("AttnUpBlock2D attends after each"), e.getMessage());
  }

  @Test
  void unsupportedConfigsAreRefused() throws IOException {
    for (String[] change : new String[][] {
        {"freq_shift", "0", "freq_shift"}, {"norm_eps", "1e-5", "norm_eps"}, {"attention_head_dim", "8", "one head"},
        {"mid_block_scale_factor", "1.4142135623730951", "mid_block_scale_factor"},
        {"resnet_time_scale_shift", "\"scale_shift\"", "resnet_time_scale_shift"},
        {"time_embedding_type", "\"fourier\"", "time_embedding_type"}}) {
      Path copy = copyFixture("ddpm-cifar10");
      ObjectNode config = (ObjectNode) JSON.readTree(copy.resolve("unet/config.json").toFile());
      config.set(change[0], JSON.readTree(change[1]));
      JSON.writeValue(copy.resolve("unet/config.json").toFile(), config);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DiffusersImport.run(copy, dir.resolve("out"), null), change[0]);
      assertTrue(e.getMessage().contains(change[2]), e.getMessage());
      deleteTree(copy);
    }
    Path copy = copyFixture("ncsnpp-ve");
    ObjectNode config = (ObjectNode) JSON.readTree(copy.resolve("unet/config.json").toFile());
    config.putArray("down_block_types").add("SkipDownBlock2D").add("AttnSkipDownBlock2D").add("SkipDownBlock2D");
    config.putArray("up_block_types").add("SkipUpBlock2D").add("AttnSkipUpBlock2D").add("SkipUpBlock2D");
    JSON.writeValue(copy.resolve("unet/config.json").toFile(), config);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DiffusersImport.run(copy, dir.resolve("out"), null));
    assertTrue(e.getMessage().contains("from 128 channels on"), e.getMessage());
  }

  @Test
  void anUnknownKeyIsRefused() throws IOException {
    Path copy = copyFixture("ddpm-cifar10");
    Path weights = copy.resolve("unet/diffusion_pytorch_model.safetensors");
    rewriteSafetensors(weights, "\"conv_in.bias\"", "\"conv_in.bias2\"");
    TorchFormatException e = assertThrows(TorchFormatException.class,
        () -> DiffusersImport.run(copy, dir.resolve("out"), null));
    assertTrue(e.getMessage().contains("missing [conv_in.bias]") && e.getMessage().contains("unused [conv_in.bias2]"),
        e.getMessage());
  }

  @Test
  void aMissingKeyIsRefused() throws IOException {
    Path copy = copyFixture("ddpm-cifar10");
    // one more level in the config than in the weights
    ObjectNode config = (ObjectNode) JSON.readTree(copy.resolve("unet/config.json").toFile());
    config.put("layers_per_block", 2);
    JSON.writeValue(copy.resolve("unet/config.json").toFile(), config);
    TorchFormatException e = assertThrows(TorchFormatException.class,
        () -> DiffusersImport.run(copy, dir.resolve("out"), null));
    assertTrue(e.getMessage().contains("missing [down_blocks.0.resnets.1."), e.getMessage());
  }

  /** Renames a tensor in a safetensors header (same length, so offsets stay). */
  private static void rewriteSafetensors(Path file, String from, String to) throws IOException {
    byte[] all = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
    String changed = header.replace(from, to);
    byte[] h = changed.getBytes(StandardCharsets.UTF_8);
    int pad = (int) ((8 - h.length % 8) % 8);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length + pad).array());
      out.write(h);
      out.write(" ".repeat(pad).getBytes(StandardCharsets.UTF_8));
      out.write(all, (int) (8 + n), (int) (all.length - 8 - n));
    }
  }

  private Path copyFixture(String id) throws IOException {
    Path src = FIXTURES.resolve(id);
    Path dst = Files.createTempDirectory(dir, id);
    try (Stream<Path> files = Files.walk(src)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return dst;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
