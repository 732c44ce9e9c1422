package dev.scoresde.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitTest {

  @Test
  void sameSeedGivesIdenticalParametersAndAnotherSeedDiffers() {
    NetworkSpec spec = Tiny.ncsnppSkip();
    try (NDManager m = NDManager.newBaseManager()) {
      List<Pair<String, Parameter>> a = Tiny.initialized(spec, m, 42).getParameters().stream().toList();
      List<Pair<String, Parameter>> b = Tiny.initialized(spec, m, 42).getParameters().stream().toList();
      Block c = Tiny.initialized(spec, m, 43);
      List<Pair<String, Parameter>> cp = c.getParameters().stream().toList();
      boolean anyDiffers = false;
      for (int i = 0; i < a.size(); i++) {
        float[] va = a.get(i).getValue().getArray().toFloatArray();
        assertArrayEquals(va, b.get(i).getValue().getArray().toFloatArray(), 0f, a.get(i).getKey());
        anyDiffers |= !Arrays.equals(va, cp.get(i).getValue().getArray().toFloatArray());
      }
      assertTrue(anyDiffers);
      // Re-initialising with the first seed restores the first values.
      Networks.initialize(c, spec, m, 42);
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i).getValue().getArray().toFloatArray(), c.getParameters().get(i).getValue().getArray().toFloatArray(), 0f);
      }
    }
  }

  @Test
  void zeroInitialisedLayersAreZeroAndOthersFollowFanAvgUniform() {
    NetworkSpec spec = Presets.get("ddpmpp-small");
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = Tiny.initialized(spec, m, 0);
      for (Pair<String, Parameter> p : net.getParameters()) {
        String name = p.getKey();
        NDArray a = p.getValue().getArray();
        float max = a.abs().max().getFloat();
        if (name.contains("conv1_weight") || name.contains("proj_weight") || name.contains("convOut_weight")
            || name.endsWith("bias") || name.endsWith("beta")) {
          assertEquals(0f, max, name);
        } else if (name.endsWith("gamma")) {
          assertEquals(1f, a.min().getFloat(), name);
          assertEquals(1f, max, name);
        } else if (name.endsWith("weight")) {
          Shape s = a.getShape();
          long receptive = s.dimension() > 2 ? s.slice(2).size() : 1;
          double scale = name.matches(".*_0[234][qkv]_weight") ? 0.1 : 1; // NIN q, k, v: init scale 0.1
          double limit = Math.sqrt(3 * scale / ((s.get(0) + s.get(1)) * receptive / 2.0));
          assertTrue(max <= limit * (1 + 1e-6) && max > 0.5 * limit, name + " max " + max + " limit " + limit);
        }
      }
      // A zero output layer makes the untrained network output exactly zero.
      assertEquals(0f, net.forward(new ParameterStore(m, false), NetworkBench.inputs(spec, m, 2), false)
          .singletonOrThrow().abs().max().getFloat());
    }
  }

  @Test
  void fourierWeightsAreFixedDrawsOfTheConfiguredScale() {
    NetworkSpec spec = Presets.get("ncsnpp-small");
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = Tiny.initialized(spec, m, 0).getParameters().stream()
          .filter(p -> p.getKey().endsWith("fourier")).findFirst().orElseThrow().getValue();
      assertFalse(w.requiresGradient());
      double std = w.getArray().toType(DataType.FLOAT64, false).square().mean().sqrt().getDouble();
      assertEquals(16, std, 16 * 0.4); // 32 draws of N(0, 16²)
    }
  }

  @Test
  void engineInitialisationIsRefused() {
    Block net = Networks.create(Tiny.mlp());
    try (NDManager m = NDManager.newBaseManager()) {
      assertThrows(IllegalStateException.class,
          () -> net.initialize(m, DataType.FLOAT32, Networks.inputShapes(Tiny.mlp(), 1)));
    }
  }
}
