package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Clients that send headers and part of a declared body, then nothing: more of them than Tomcat has worker
 * threads. The probes on the separate management port still answer at once, and the API port answers again once
 * the short read timeout has freed its threads (Tomcat's default of 60 s held them for a minute).
 */
@ActiveProfiles("patterns-only")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "management.server.port=0",
    "server.tomcat.threads.max=8",
    "server.tomcat.threads.min-spare=2",
    "server.tomcat.connection-timeout=1s",
})
class SlowClientsTest {
  static final int SLOW = 16;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void probesStayAnswerableWhileSlowClientsHoldEveryWorkerAndTheApiRecovers() throws Exception {
    // warm both ports up (the first request initializes each dispatcher servlet)
    assertEquals(200, get(managementPort, "/actuator/health/liveness", Duration.ofSeconds(10)).statusCode());
    assertEquals(200, get(port, "/v1/models", Duration.ofSeconds(10)).statusCode());
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(15_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /v1/models/patterns/samples HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1000\r\n\r\n{\"n\": ").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        slow.add(s);
      }
      Thread.sleep(300);
      long t0 = System.nanoTime();
      HttpResponse<String> live = get(managementPort, "/actuator/health/liveness", Duration.ofSeconds(2));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(200, live.statusCode(), live.body());
      assertTrue(ms < 1000, "liveness on the management port took " + ms + " ms");
      assertEquals(200, get(managementPort, "/actuator/health/readiness", Duration.ofSeconds(2)).statusCode());

      // the API port: its threads are held until the 1 s read timeout (about twice that with Tomcat's swallow of the rest), then answer the next request
      t0 = System.nanoTime();
      HttpResponse<String> models = get(port, "/v1/models", Duration.ofSeconds(15));
      ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(200, models.statusCode());
      assertTrue(ms < 12_000, "the API port answered after " + ms + " ms");

      // each slow client got a problem (its body never came) or was closed, never a 5xx
      for (Socket s : slow) {
        RawHttp r = RawHttp.parse(RawHttp.readAll(s.getInputStream()));
        assertTrue(r.status() == -1 || r.status() >= 400 && r.status() < 500, r.status() + " " + r.body());
        if (r.status() > 0) {
          assertEquals(408, r.status(), r.body());
          assertTrue(String.valueOf(r.header("Content-Type")).startsWith("application/problem+json"),
              r.headers() + " " + r.body());
        }
      }
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void theManagementPortAnswersTomcatsOwnErrorsWithProblemsToo() throws IOException {
    RawHttp r = RawHttp.send(managementPort, "GET /actuator/a%00b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertEquals(400, r.status(), r.body());
    assertTrue(String.valueOf(r.header("Content-Type")).startsWith("application/problem+json"), r.body());
  }

  static HttpResponse<String> get(int port, String path, Duration timeout) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(timeout).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
