package dev.scoresde.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresetsTest {

  @Test
  void tinyDdpmppHasTheHandCountedParameters() {
    // Worked by hand from the module list: temb 1344, conv in 80, down 1464+1536+4208+1120, middle 11584,
    // up 8096+6800+1120+5504+2848+2192, out 89.
    assertEquals(47_985, Networks.parameterCount(Networks.create(Tiny.ddpmpp())));
    assertEquals(47_985, ExpectedCounts.of(Tiny.ddpmpp()));
  }

  @Test
  void everyPresetAndTinySpecHasTheFormulaParameterCount() {
    for (String name : Presets.names()) {
      NetworkSpec spec = Presets.get(name);
      assertEquals(ExpectedCounts.of(spec), Networks.parameterCount(Networks.create(spec)), name);
    }
    for (NetworkSpec spec : List.of(Tiny.ncsnppSkip(), Tiny.ncsnppResidual(), Tiny.ddpmppResidualPlain(),
        Tiny.classifier(), Tiny.mlp())) {
      assertEquals(ExpectedCounts.of(spec), Networks.parameterCount(Networks.create(spec)), spec.toString());
    }
  }

  @Test
  void smallPresetsFitTheWeightBudget() {
    for (String name : Presets.names()) {
      if (name.endsWith("-small")) {
        long bytes = 4 * Networks.parameterCount(Networks.create(Presets.get(name)));
        assertTrue(bytes <= 25_000_000, name + " has " + bytes + " bytes of weights");
      }
    }
  }

  @Test
  void smallPresetsMapInputsToOutputsOfTheContractShape() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (String name : Presets.names()) {
        if (!name.endsWith("-small")) {
          continue;
        }
        NetworkSpec spec = Presets.get(name);
        Block net = Tiny.initialized(spec, m, 0);
        NDList in = NetworkBench.inputs(spec, m, 2);
        NDArray y = net.forward(new ParameterStore(m, false), in, false).singletonOrThrow();
        Shape expected = spec.architecture() == Architecture.CLASSIFIER ? new Shape(2, spec.numClasses()) : in.head().getShape();
        assertEquals(expected, y.getShape(), name);
        assertEquals(expected, net.getOutputShapes(Networks.inputShapes(spec, 2))[0], name);
        net.clear();
      }
    }
  }

  @Test
  void unetAcceptsAnySizeDivisibleByTheDownsamplingFactor() {
    try (NDManager m = NDManager.newBaseManager()) {
      NetworkSpec spec = Presets.get("ncsnpp-small"); // 3 resolutions: factor 4
      Block net = Tiny.initialized(spec, m, 0);
      NDList in = NetworkBench.inputs(spec, m, 2);
      in.set(0, in.head().get(":, :, 2:30, 2:30")); // 28×28, unpadded Fashion-MNIST
      assertEquals(new Shape(2, 1, 28, 28),
          net.forward(new ParameterStore(m, false), in, false).singletonOrThrow().getShape());
      NetworkSpec bad = NetworkSpec.ddpmpp().channels(1).imageSize(30).nf(8).chMult(1, 2, 2).numResBlocks(1)
          .build();
      assertThrows(IllegalArgumentException.class, () -> Networks.create(bad));
      assertThrows(IllegalArgumentException.class, () -> Presets.get("no-such-net"));
    }
  }
}
