package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;

/**
 * {@code fetch} for the server's JSON API, and reading the JSON it answers with (nested objects and
 * arrays, by a dotted path such as {@code "result.waiting.0.name"}).
 */
public final class Http {
  private Http() {}

  /** The answer: the HTTP status (0 when the server was not reached) and the body. */
  @JSFunctor
  public interface Done extends JSObject {
    void done(int status, String body);
  }

  /**
   * A request; {@code bearer} (may be null) goes in the Authorization header, {@code json} (may be
   * null) is the body.
   */
  @JSBody(
      params = {"method", "url", "bearer", "json", "done"},
      script =
          "var vcH = {'Content-Type': 'application/json'};"
              + "if (bearer) vcH['Authorization'] = 'Bearer ' + bearer;"
              + "fetch(url, {method: method, headers: vcH, cache: 'no-store',"
              + " body: json === null ? undefined : json})"
              + ".then(function (vcR) { return vcR.text().then(function (vcT) {"
              + " done(vcR.status, vcT); }); }, function () { done(0, ''); });")
  public static native void request(
      String method, String url, String bearer, String json, Done done);

  /** {@code {"key": value}}, written by the browser's JSON. */
  @JSBody(
      params = {"key", "value"},
      script = "var vcO = {}; vcO[key] = value; return JSON.stringify(vcO);")
  public static native String object(String key, String value);

  /** {@code {"key": true|false}}, written by the browser's JSON. */
  @JSBody(
      params = {"key", "value"},
      script = "var vcO = {}; vcO[key] = value; return JSON.stringify(vcO);")
  public static native String object(String key, boolean value);

  /** The value at {@code path} as a string ("true", "12", ...), or null when absent or null. */
  @JSBody(
      params = {"json", "path"},
      script =
          "try { var vcV = JSON.parse(json); var vcP = path === '' ? [] : path.split('.');"
              + " for (var i = 0; i < vcP.length; i++) {"
              + " if (vcV === null || vcV === undefined) return null; vcV = vcV[vcP[i]]; }"
              + " return vcV === undefined || vcV === null ? null"
              + " : (typeof vcV === 'object' ? JSON.stringify(vcV) : '' + vcV);"
              + " } catch (vcE) { return null; }")
  public static native String field(String json, String path);

  /** The length of the array at {@code path}, or 0. */
  @JSBody(
      params = {"json", "path"},
      script =
          "try { var vcV = JSON.parse(json); var vcP = path === '' ? [] : path.split('.');"
              + " for (var i = 0; i < vcP.length; i++) {"
              + " if (vcV === null || vcV === undefined) return 0; vcV = vcV[vcP[i]]; }"
              + " return Array.isArray(vcV) ? vcV.length : 0; } catch (vcE) { return 0; }")
  public static native int length(String json, String path);
}
