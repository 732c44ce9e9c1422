package dev.scoresde.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controllable rows of the analytic report, at a small budget: every row present, parsable and sound. */
class ControlReportTest {

  @Test
  void everyOperationGetsARowWithNfeAccuracyAndError() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ControlReport(45, 20, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String text = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    List<String> rows = text.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| operation")).toList();
    assertEquals(4 * 3 + 2 + 2, rows.size(), text);
    for (String row : rows) {
      String[] cells = row.split("\\|");
      int nfe = Integer.parseInt(cells[4].trim());
      assertTrue(nfe > 0, row);
      String accuracy = cells[6].trim();
      String error = cells[7].trim();
      if (!accuracy.equals("—")) {
        assertTrue(Double.parseDouble(accuracy) >= 0.9, "component accuracy: " + row);
      }
      if (row.contains("interpolation")) {
        assertTrue(Double.parseDouble(error) <= 1e-3, "end frames: " + row);
      } else if (row.contains("| pc |") && !error.equals("—")) {
        assertTrue(Double.parseDouble(error) <= 1e-4, "constraint error of PC with mean output: " + row);
      }
    }
  }
}
