package dev.scoresde.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  @Test
  void float32RoundTripsAndNumpysOwnFilesRead() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, -2.5f, 3e-8f, Float.MAX_VALUE, 0, 7}, new Shape(2, 3));
      Path f = dir.resolve("a.npy");
      Npy.writeFloat32(a, f);
      NDArray back = Npy.read(f, m);
      assertEquals(new Shape(2, 3), back.getShape());
      assertArrayEquals(a.toFloatArray(), back.toFloatArray());
      NDArray vector = Npy.read(Path.of("src/test/resources/reference-parity/ve-cifar10_ncsnpp/labels.npy"), m);
      assertEquals(DataType.INT64, vector.getDataType()); // written by numpy: int64 labels of the discrete VE model
      assertEquals(1, vector.getShape().dimension());
    }
  }

  @Test
  void badFilesAreRefusedWithTheReason() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      Path notNpy = Files.writeString(dir.resolve("x.npy"), "hello");
      assertTrue(assertThrows(IOException.class, () -> Npy.read(notNpy, m)).getMessage().contains("not a .npy"));
      Path good = dir.resolve("g.npy");
      Npy.writeFloat32(m.ones(new Shape(4)), good);
      byte[] bytes = Files.readAllBytes(good);
      Path truncated = Files.write(dir.resolve("t.npy"), Arrays.copyOf(bytes, bytes.length - 3));
      assertTrue(assertThrows(IOException.class, () -> Npy.read(truncated, m)).getMessage().contains("needs 16 bytes"));
      String header = new String(bytes, StandardCharsets.ISO_8859_1).replace("False", "True ");
      Path fortran = Files.write(dir.resolve("f.npy"), header.getBytes(StandardCharsets.ISO_8859_1));
      assertTrue(assertThrows(IOException.class, () -> Npy.read(fortran, m)).getMessage().contains("Fortran"));
      String complex = new String(bytes, StandardCharsets.ISO_8859_1).replace("<f4", "<c8");
      Path c = Files.write(dir.resolve("c.npy"), complex.getBytes(StandardCharsets.ISO_8859_1));
      assertTrue(assertThrows(IOException.class, () -> Npy.read(c, m)).getMessage().contains("not supported"));
    }
  }
}
