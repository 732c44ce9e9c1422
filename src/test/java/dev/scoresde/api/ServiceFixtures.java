package dev.scoresde.api;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.scoresde.checkpoint.Checkpoint;
import dev.scoresde.checkpoint.reference.ReferenceCheckpoint;
import dev.scoresde.checkpoint.reference.ReferenceConfigs;
import dev.scoresde.checkpoint.reference.ReferenceImport;
import dev.scoresde.checkpoint.CheckpointWriter;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NamedParameters;
import dev.scoresde.checkpoint.Provenance;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.checkpoint.TrainingState;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.Networks;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.tensor.ValueRange;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Model folders and images for the service tests. */
final class ServiceFixtures {
  private ServiceFixtures() {}

  /** A tiny randomly initialised DDPM++ (1 × 8 × 8 data padded from 6 × 6, 2 classes) under a VP SDE. */
  static final NetworkSpec TINY = NetworkSpec.ddpmpp().channels(1).imageSize(8).nf(8).chMult(1, 2).numResBlocks(1)
      .numClasses(2).build();

  /** A tiny noise-conditional classifier of the same data and classes. */
  static final NetworkSpec TINY_CLASSIFIER = NetworkSpec.classifier().channels(1).imageSize(8).nf(8).chMult(1, 2)
      .numResBlocks(1).embedding(EmbeddingType.FOURIER).numClasses(2).build();

  /** Writes a run folder holding one checkpoint of {@link #TINY} with random weights. */
  static Path tinyNetwork(Path runDir) {
    return write(runDir, TINY);
  }

  /** Writes a run folder holding one checkpoint of {@link #TINY_CLASSIFIER} with random weights. */
  static Path tinyClassifier(Path runDir) {
    return write(runDir, TINY_CLASSIFIER);
  }

  private static Path write(Path runDir, NetworkSpec spec) {
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = Networks.create(spec);
      Networks.initialize(net, spec, m, 7);
      // Networks zero-initialise the output layer (as the reference does): perturb every weight so the
      // network's output, and its dependence on the label, is not identically zero.
      NamedParameters p = NamedParameters.of(net);
      java.util.SplittableRandom r = new java.util.SplittableRandom(11);
      for (ai.djl.ndarray.NDArray a : p.arrays()) {
        float[] v = a.toFloatArray();
        for (int i = 0; i < v.length; i++) {
          v[i] += (float) (0.2 * r.nextGaussian());
        }
        a.set(v);
      }
      NDList weights = p.toNamedList("");
      ModelCard card = new ModelCard(ModelCard.FORMAT_VERSION, "tiny-test-net", SdeSpec.vp(0.1, 20, 1000), spec,
          DataShape.image(1, 8, 6), ValueRange.SYMMETRIC, List.of("zero", "one"), 0.999,
          new Provenance("random init", "none", 0, 0, 0, 0, "2026-11-28T00:00:00Z"));
      TrainingState state = new TrainingState(1, 7, List.of(), 0, 0, 0);
      new CheckpointWriter(runDir, 1).write(new Checkpoint(card, weights, weights, new NDList(), state));
      return runDir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Imports the reference's small random-weight ve/cifar10_ncsnpp_continuous checkpoint (a parity fixture) into
   * {@code folder} once, as the import command does, and returns the folder.
   */
  static String importedReferenceModel(Path folder) {
    if (!Files.exists(folder)) {
      try {
        ReferenceImport.run(Path.of("src/test/resources/reference-parity/ve-cifar10_ncsnpp_continuous/checkpoint.pth"),
            ReferenceConfigs.resolve("ve/cifar10_ncsnpp_continuous", Map.of("data.image_size", "16", "model.nf", "8",
                "model.ch_mult", "[1,1,2]", "model.num_res_blocks", "1")), Map.of(), folder, "imported",
            ReferenceCheckpoint.Weights.EMA);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return folder.toString();
  }

  /** A folder whose model.json is garbage: loading must fail with one log line. */
  static Path brokenModel(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("model.json"), "{ not json");
      Files.writeString(dir.resolve("ema.safetensors"), "nope");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A gray PNG of side × side whose pixel (x, y) is f(x, y). */
  static byte[] grayPng(int side, java.util.function.IntBinaryOperator f) {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        img.getRaster().setSample(x, y, 0, f.applyAsInt(x, y));
      }
    }
    return png(img);
  }

  /** An RGB PNG of side × side whose pixel (x, y) is rgb(x, y). */
  static byte[] rgbPng(int side, java.util.function.IntBinaryOperator rgb) {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        img.setRGB(x, y, rgb.applyAsInt(x, y));
      }
    }
    return png(img);
  }

  /**
   * A valid PNG of a few dozen bytes that declares width × height (8-bit gray) in its IHDR, with a tiny IDAT: a
   * decompression bomb for any decoder that allocates the declared raster before reading the data.
   */
  static byte[] declaredSizePng(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put(new byte[] {8, 0, 0, 0, 0}); // bit depth 8, gray, deflate, no filter, no interlace
    chunk(out, "IHDR", ihdr.array());
    java.util.zip.Deflater deflater = new java.util.zip.Deflater();
    deflater.setInput(new byte[width + 1]); // one filtered row of zeros
    deflater.finish();
    byte[] idat = new byte[64 + width / 100];
    chunk(out, "IDAT", java.util.Arrays.copyOf(idat, deflater.deflate(idat)));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static byte[] png(BufferedImage img) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage read(byte[] png) {
    try {
      return ImageIO.read(new java.io.ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
