package dev.videocall.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /metrics} read as Prometheus would: every line must be a HELP, a TYPE or a sample of the
 * text exposition format 0.0.4 (a malformed line fails the test), and samples are kept by their
 * series ({@code name{labels}}). The Prometheus Java client writes this format but has no parser,
 * so the grammar is checked here.
 */
final class Scrape {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped|info)");
  private static final Pattern SAMPLE =
      Pattern.compile(
          "("
              + NAME
              + ")(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?"
              + " (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");

  final String text;
  final Map<String, Double> samples = new LinkedHashMap<>();
  final Map<String, String> types = new LinkedHashMap<>();

  private Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      Matcher t = TYPE.matcher(line);
      if (t.matches()) {
        types.put(t.group(1), t.group(2));
        continue;
      }
      if (HELP.matcher(line).matches()) {
        continue;
      }
      Matcher s = SAMPLE.matcher(line);
      assertTrue(s.matches(), "not Prometheus text format: " + line);
      String series = s.group(1) + (s.group(2) == null ? "" : s.group(2));
      samples.put(series, Double.parseDouble(s.group(3).replace("+Inf", "Infinity")));
    }
  }

  static Scrape of(URI server) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() == 200, "/metrics answered " + r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        "content type " + r.headers().firstValue("Content-Type"));
    return new Scrape(r.body());
  }

  /** The value of one series, e.g. {@code videocall_sessions} or {@code x{a="b"}}. */
  double value(String series) {
    Double v = samples.get(series);
    assertTrue(v != null, "no " + series + " in /metrics");
    return v;
  }
}
