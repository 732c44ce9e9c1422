package dev.scoresde.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch side ({@code tools/torch-bench/bench.py}) as a child process that waits for one JSON command per
 * line and answers with one JSON line, so that the two stacks take turns on the machine. Its threads: the job's
 * count for libtorch (OpenMP) and for the BLAS library Debian's torch links.
 */
final class TorchWorker implements AutoCloseable {
  private final Process process;
  private final Writer in;
  private final BufferedReader out;
  private final ObjectMapper json;

  TorchWorker(String python, String script, String reference, String checkpoint, Path job, int threads,
      ObjectMapper json) throws IOException {
    this.json = json;
    ProcessBuilder pb = new ProcessBuilder(List.of(python, script, "--reference", reference, "--checkpoint", checkpoint,
        "--job", job.toString())).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    process = pb.start();
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    JsonNode ready = read();
    if (!ready.path("ready").asBoolean()) {
      throw new IllegalStateException("the PyTorch worker did not start: " + ready);
    }
  }

  /** Sends {@code command} (with "op") and waits for the answer. */
  JsonNode call(Map<String, Object> command) throws IOException {
    in.write(json.writeValueAsString(command));
    in.write('\n');
    in.flush();
    return read();
  }

  private JsonNode read() throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("{")) {
        return json.readTree(line);
      }
    }
    throw new IOException("the PyTorch worker exited (code " + waitExit() + ")");
  }

  private int waitExit() {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      in.write("{\"op\": \"quit\"}\n");
      in.close();
    } catch (IOException e) {
      // already gone
    }
    if (waitExit() != 0) {
      process.destroy();
    }
  }
}
