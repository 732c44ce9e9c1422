package dev.scoresde.serve.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.StepSizeScope;
import dev.scoresde.sampling.settings.Fields;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.MixtureModels;
import dev.scoresde.serve.model.ModelsProperties;
import dev.scoresde.serve.model.ServedModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Merged inpainting and colorization batches give every request exactly what it gets alone: each task's rows
 * carry its own observation, mask and random streams. The 3-channel "colors" mixture also checks that a
 * one-channel mask covers every channel of its own rows.
 */
class BatchedEditingTest {
  static final ServeProperties PROPS = ServeProperties.defaults();
  static final int SIZE = 4;
  static final int PIXELS = SIZE * SIZE;
  static ServedModel model;

  @BeforeAll
  static void load() {
    model = MixtureModels.create("colors", new ModelsProperties.Mixture("colors-48", null, null, null, null, null,
        null), "cpu");
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static SamplerSettings settings(String sampler, String corrector, Object... more) {
    Object[] fields = {"sampler", sampler, "steps", 30, "corrector", corrector, "rtol", 1e-3, "atol", 1e-3};
    Object[] all = java.util.Arrays.copyOf(fields, fields.length + more.length);
    System.arraycopy(more, 0, all, fields.length, more.length);
    return model.samplerSettings(Fields.of(all), PROPS);
  }

  static Metadata.Edit metadata(OperationResult r) {
    return (Metadata.Edit) r.metadata();
  }

  /** Values in [−1, 1] drawn from {@code seed}: distinct observations per task. */
  static float[] values(int length, long seed) {
    SplittableRandom g = new SplittableRandom(seed);
    float[] v = new float[length];
    for (int i = 0; i < length; i++) {
      v[i] = (float) (2 * g.nextDouble() - 1);
    }
    return v;
  }

  /** A mask (1, 4, 4) with pixel i known when {@code known(i)}. */
  static float[] mask(java.util.function.IntPredicate known) {
    float[] m = new float[PIXELS];
    for (int i = 0; i < PIXELS; i++) {
      m[i] = known.test(i) ? 1 : 0;
    }
    return m;
  }

  static EditTask inpaint(SamplerSettings s, int n, long seed, float[] mask) {
    return inpaint(s, n, seed, mask, 0);
  }

  static EditTask inpaint(SamplerSettings s, int n, long seed, float[] mask, double guidance) {
    return new EditTask(model, OperationKind.INPAINT, n, s, seed, values(3 * PIXELS, seed + 1000), mask, guidance);
  }

  static EditTask colorize(SamplerSettings s, int n, long seed) {
    return colorize(s, n, seed, 0);
  }

  static EditTask colorize(SamplerSettings s, int n, long seed, double guidance) {
    return new EditTask(model, OperationKind.COLORIZE, n, s, seed, values(PIXELS, seed + 2000), null, guidance);
  }

  /** Three inpaintings (left half, top half, a diagonal known) or three colorizations, n = 2, 1, 3. */
  static List<EditTask> tasks(OperationKind kind, SamplerSettings s) {
    return tasks(kind, s, 0);
  }

  static List<EditTask> tasks(OperationKind kind, SamplerSettings s, double g) {
    if (kind == OperationKind.COLORIZE) {
      return List.of(colorize(s, 2, 11, g), colorize(s, 1, 12, g), colorize(s, 3, 13, g));
    }
    return List.of(inpaint(s, 2, 11, mask(i -> i % SIZE < 2), g), inpaint(s, 1, 12, mask(i -> i < PIXELS / 2), g),
        inpaint(s, 3, 13, mask(i -> i % SIZE == i / SIZE), g));
  }

  @ParameterizedTest
  @ValueSource(strings = {"inpaint:pc:langevin", "inpaint:ode:none", "inpaint:ddim:none", "inpaint:euler-maruyama:none",
      "colorize:pc:langevin", "colorize:ode:none", "colorize:sde-dpm-solver++2m:none",
      "inpaint:euler-maruyama:none:0.5", "colorize:sde-dpm-solver++2m:none:0.5"})
  void mergedEditsEqualEditsRunAlone(String spec) {
    String[] p = spec.split(":");
    OperationKind kind = OperationKind.parse(p[0]);
    double guidance = p.length > 3 ? Double.parseDouble(p[3]) : 0;
    List<EditTask> tasks = tasks(kind, settings(p[1], p[2].equals("none") ? null : p[2]), guidance);
    assertEquals(tasks.get(0).batchKey(), tasks.get(2).batchKey(), "seeds, n and observations do not split batches");
    try (NDManager scope = model.manager().newSubManager()) {
      List<OperationResult> merged = tasks.get(0).runBatch(tasks, scope, SamplingListener.NONE);
      for (int i = 0; i < tasks.size(); i++) {
        EditTask t = tasks.get(i);
        OperationResult alone = t.run(scope, SamplingListener.NONE);
        assertEquals(t.n(), merged.get(i).images().size());
        assertEquals(6, metadata(merged.get(i)).batchRows());
        assertEquals(t.n(), metadata(alone).batchRows());
        assertEquals(t.seed(), metadata(merged.get(i)).seed());
        assertEquals(kind, merged.get(i).operation());
        assertEquals(guidance, metadata(merged.get(i)).guidance());
        for (int r = 0; r < t.n(); r++) {
          assertArrayEquals(alone.images().get(r), merged.get(i).images().get(r), 0f,
              spec + ": task " + i + " row " + r);
        }
      }
    }
  }

  /** Known pixels come back exactly, from the task's own image under its own mask, on all three channels. */
  @Test
  void everyMergedInpaintingKeepsItsOwnKnownPixels() {
    List<EditTask> tasks = tasks(OperationKind.INPAINT, settings("euler-maruyama", null));
    try (NDManager scope = model.manager().newSubManager()) {
      List<OperationResult> merged = tasks.get(0).runBatch(tasks, scope, SamplingListener.NONE);
      for (int i = 0; i < tasks.size(); i++) {
        EditTask t = tasks.get(i);
        for (float[] image : merged.get(i).images()) {
          for (int c = 0; c < 3; c++) {
            for (int p = 0; p < PIXELS; p++) {
              int at = c * PIXELS + p;
              if (t.mask()[p] == 1) {
                assertEquals(t.known()[at], image[at], 0f, "task " + i + " channel " + c + " pixel " + p);
              } else {
                assertNotEquals(t.known()[at], image[at], "task " + i + " channel " + c + " pixel " + p
                    + " is filled in");
              }
            }
          }
        }
      }
    }
  }

  /** Colorization keeps each task's own gray channel: the mean of R, G, B is the task's input, guided or not. */
  @ParameterizedTest
  @ValueSource(doubles = {0, 0.5})
  void everyMergedColorizationKeepsItsOwnGray(double guidance) {
    List<EditTask> tasks = tasks(OperationKind.COLORIZE, settings("euler-maruyama", null), guidance);
    try (NDManager scope = model.manager().newSubManager()) {
      List<OperationResult> merged = tasks.get(0).runBatch(tasks, scope, SamplingListener.NONE);
      for (int i = 0; i < tasks.size(); i++) {
        for (float[] image : merged.get(i).images()) {
          for (int p = 0; p < PIXELS; p++) {
            float gray = (image[p] + image[PIXELS + p] + image[2 * PIXELS + p]) / 3;
            assertEquals(tasks.get(i).known()[p], gray, 1e-5f, "task " + i + " pixel " + p);
          }
        }
      }
    }
  }

  /**
   * Measurement guidance changes what inpainting fills in (the known pixels carry the component's colour, and the
   * guidance passes it to the unknown ones through x̂₀). Colorization of this mixture is left as it is: every
   * component has the same gray, so the gray image says nothing of colour and the guidance has nothing to add.
   */
  @Test
  void guidanceChangesWhatInpaintingFillsIn() {
    SamplerSettings s = settings("sde-dpm-solver++2m", null);
    float[] left = mask(i -> i % SIZE < 2);
    try (NDManager scope = model.manager().newSubManager()) {
      float[] plain = inpaint(s, 1, 5, left).run(scope, SamplingListener.NONE).images().get(0);
      float[] guided = inpaint(s, 1, 5, left, 0.5).run(scope, SamplingListener.NONE).images().get(0);
      float[] again = inpaint(s, 1, 5, left, 0.5).run(scope, SamplingListener.NONE).images().get(0);
      assertArrayEquals(guided, again, 0f, "deterministic given the seed");
      double diff = 0;
      for (int i = 0; i < plain.length; i++) {
        diff = Math.max(diff, Math.abs(plain[i] - guided[i]));
      }
      // measured 8.4e-4: the known pixels already decide the component, the guidance refines the rest
      org.junit.jupiter.api.Assertions.assertTrue(diff > 1e-4, "guided and plain fillings differ: " + diff);
      float[] grayPlain = colorize(s, 1, 5).run(scope, SamplingListener.NONE).images().get(0);
      float[] grayGuided = colorize(s, 1, 5, 0.5).run(scope, SamplingListener.NONE).images().get(0);
      assertArrayEquals(grayPlain, grayGuided, 1e-5f, "a gray image that says nothing of colour adds nothing");
    }
  }

  @Test
  void onlyEditsOfOneKindAndOneSettingMerge() {
    SamplerSettings s = settings("euler-maruyama", null);
    EditTask in = inpaint(s, 1, 1, mask(i -> true));
    assertNotEquals(in.batchKey(), colorize(s, 1, 1).batchKey(), "inpaint and colorize never share a batch");
    assertNotEquals(in.batchKey(), inpaint(settings("euler-maruyama", null, "steps", 31), 1, 1, mask(i -> true)).batchKey());
    assertNotEquals(in.batchKey(), inpaint(settings("euler-maruyama", null, "temperature", 0.5), 1, 1, mask(i -> true)).batchKey());
    assertNotEquals(in.batchKey(), inpaint(s, 1, 1, mask(i -> true), 0.5).batchKey(), "guidance weights differ");
    try (NDManager scope = model.manager().newSubManager()) {
      assertThrows(IllegalArgumentException.class,
          () -> in.runBatch(List.of(in, colorize(s, 1, 1)), scope, SamplingListener.NONE));
    }
    PcSettings pc = (PcSettings) settings("pc", "langevin");
    PcSettings coupled = new PcSettings(pc.kind(), pc.predictor(), pc.corrector(), pc.steps(), 0.16, 1,
        StepSizeScope.BATCH, pc.order(), pc.endpoints());
    assertEquals(CorrectorKind.LANGEVIN, coupled.corrector());
    assertNull(inpaint(coupled, 1, 1, mask(i -> true)).batchKey(), "batch-mean Langevin steps couple rows: run alone");
  }
}
