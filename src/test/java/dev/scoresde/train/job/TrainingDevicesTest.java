package dev.scoresde.train.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingDevicesTest {
  static final List<Device> TWO_GPUS = List.of(Device.gpu(0), Device.gpu(1));

  @Test
  void autoIsEveryDeviceTheEngineReports() {
    assertEquals(TWO_GPUS, TrainingDevices.resolve(null, TWO_GPUS));
    assertEquals(TWO_GPUS, TrainingDevices.resolve(" AUTO ", TWO_GPUS));
    assertEquals(List.of(Device.cpu()), TrainingDevices.resolve("auto", List.of(Device.cpu())));
  }

  @Test
  void autoOnThisGpuLessMachineIsTheCpuAlone() {
    assertEquals(List.of(Device.cpu()), TrainingDevices.resolve("auto", List.of(Engine.getInstance().getDevices())));
  }

  @Test
  void explicitListsKeepTheirOrderAndMustExist() {
    assertEquals(List.of(Device.gpu(1), Device.gpu(0)), TrainingDevices.resolve("gpu1, gpu0", TWO_GPUS));
    assertEquals(List.of(Device.cpu()), TrainingDevices.resolve("cpu", TWO_GPUS), "the CPU is always there");
    IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
        () -> TrainingDevices.resolve("gpu0,gpu2", TWO_GPUS));
    assertTrue(absent.getMessage().contains("gpu(2)"), absent.getMessage());
  }

  @Test
  void malformedListsAreRefusedByName() {
    for (String bad : List.of("tpu0", "gpu", "gpu0,,gpu1", "gpu1,gpu1", "cpu,gpu0")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingDevices.parse(bad), bad);
      assertTrue(e.getMessage().contains("device") || e.getMessage().contains("mixes"), e.getMessage());
    }
  }
}
