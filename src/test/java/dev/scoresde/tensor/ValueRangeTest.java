package dev.scoresde.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ValueRangeTest {

  @Test
  void mapsToAndFromTheUnitInterval() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray u = m.create(new float[] {0, 0.25f, 1});
      assertArrayEquals(new float[] {-1, -0.5f, 1}, ValueRange.SYMMETRIC.fromUnit(u).toFloatArray(), 1e-7f);
      assertArrayEquals(new float[] {0, 0.25f, 1}, ValueRange.SYMMETRIC.toUnit(ValueRange.SYMMETRIC.fromUnit(u))
          .toFloatArray(), 1e-7f);
      assertArrayEquals(new float[] {0, 0.25f, 1}, ValueRange.UNIT.fromUnit(u).toFloatArray(), 0f);
    }
  }

  @Test
  void rejectsEmptyOrNonFiniteRanges() {
    assertThrows(IllegalArgumentException.class, () -> new ValueRange(1, 1));
    assertThrows(IllegalArgumentException.class, () -> new ValueRange(1, -1));
    assertThrows(IllegalArgumentException.class, () -> new ValueRange(0, Double.NaN));
  }
}
