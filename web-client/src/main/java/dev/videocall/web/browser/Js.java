package dev.videocall.web.browser;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * Small browser services the page needs and teavm-jso-apis does not cover: storage, the clipboard,
 * timers, keyboard and resize events, random ids, text escaping.
 *
 * <p>Script locals carry a {@code vc} prefix: TeaVM's minifier renames parameters but not the
 * script's own variables.
 */
public final class Js {
  private Js() {}

  /** A callback without arguments. */
  @JSFunctor
  public interface Callback extends JSObject {
    void call();
  }

  /** A callback with a string. */
  @JSFunctor
  public interface StringCallback extends JSObject {
    void call(String value);
  }

  /** A keyboard callback: the key, and whether a text field has the focus. */
  @JSFunctor
  public interface KeyCallback extends JSObject {
    boolean call(String key, boolean inTextField, boolean modifier);
  }

  /** localStorage, or null when unavailable (private windows may refuse it). */
  @JSBody(
      params = "key",
      script = "try { return window.localStorage.getItem(key); } catch (vcE) { return null; }")
  public static native String load(String key);

  @JSBody(
      params = {"key", "value"},
      script = "try { window.localStorage.setItem(key, value); } catch (vcE) {}")
  public static native void store(String key, String value);

  /** Copies text to the clipboard; reports success or failure with "ok" or the reason. */
  @JSBody(
      params = {"text", "done"},
      script =
          "if (!navigator.clipboard) { done('unavailable'); return; }"
              + "navigator.clipboard.writeText(text).then(function () { done('ok'); },"
              + " function (vcE) { done('' + vcE); });")
  public static native void copy(String text, StringCallback done);

  @JSBody(
      params = {"callback", "ms"},
      script = "return setTimeout(callback, ms);")
  public static native int setTimeout(Callback callback, double ms);

  @JSBody(
      params = {"callback", "ms"},
      script = "return setInterval(callback, ms);")
  public static native int setInterval(Callback callback, double ms);

  @JSBody(params = "id", script = "clearTimeout(id); clearInterval(id);")
  public static native void clearTimer(int id);

  /** Calls back on every window resize (and orientation change). */
  @JSBody(
      params = "callback",
      script =
          "window.addEventListener('resize', function () { callback(); });"
              + "if (window.ResizeObserver) {"
              + " new ResizeObserver(function () { callback(); }).observe(document.body); }")
  public static native void onResize(Callback callback);

  /** Keyboard shortcuts: the callback returns true when it handled the key. */
  @JSBody(
      params = "callback",
      script =
          "document.addEventListener('keydown', function (vcE) {"
              + " var vcT = vcE.target;"
              + " var vcText = vcT && (vcT.tagName === 'INPUT' || vcT.tagName === 'TEXTAREA'"
              + "   || vcT.tagName === 'SELECT' || vcT.isContentEditable);"
              + " var vcMod = vcE.ctrlKey || vcE.metaKey || vcE.altKey;"
              + " if (callback(vcE.key, !!vcText, !!vcMod)) vcE.preventDefault(); });")
  public static native void onKey(KeyCallback callback);

  /** 50 random bits as 10 lowercase letters and digits in groups of 3-4-3, e.g. k7m-2xq9-ab3. */
  @JSBody(
      script =
          "var vcB = new Uint8Array(10); crypto.getRandomValues(vcB);"
              + "var vcA = 'abcdefghijkmnpqrstuvwxyz23456789', vcS = '';"
              + "for (var vcI = 0; vcI < vcB.length; vcI++) {"
              + " vcS += vcA[vcB[vcI] % 32]; if (vcI === 2 || vcI === 6) vcS += '-'; }"
              + "return vcS;")
  public static native String randomMeetingId();

  /** The page's origin, e.g. https://meet.example:8080. */
  @JSBody(script = "return location.origin;")
  public static native String origin();

  @JSBody(script = "return location.pathname;")
  public static native String path();

  @JSBody(params = "url", script = "location.assign(url);")
  public static native void navigate(String url);

  @JSBody(params = "url", script = "history.replaceState(null, '', url);")
  public static native void replaceUrl(String url);

  /** Date.now(): the wall clock in milliseconds. */
  @JSBody(script = "return Date.now();")
  public static native double now();

  @JSBody(params = "text", script = "return encodeURIComponent(text);")
  public static native String encodeUri(String text);

  @JSBody(
      params = "text",
      script = "try { return decodeURIComponent(text); } catch (vcE) { return null; }")
  public static native String decodeUri(String text);

  @JSBody(params = "el", script = "el.focus();")
  public static native void focus(HTMLElement el);

  @JSBody(params = "el", script = "return el.value;")
  public static native String value(HTMLElement el);

  @JSBody(
      params = {"el", "value"},
      script = "el.value = value;")
  public static native void setValue(HTMLElement el, String value);

  @JSBody(params = "el", script = "return !!el.checked;")
  public static native boolean checked(HTMLElement el);

  @JSBody(
      params = {"el", "on"},
      script = "el.checked = on;")
  public static native void setChecked(HTMLElement el, boolean on);

  /** Whether the document is shown in a narrow window (phones). */
  @JSBody(script = "return window.innerWidth < 640;")
  public static native boolean narrow();

  @JSBody(script = "return window.innerWidth;")
  public static native double windowWidth();

  /** Takes the keyboard focus out of whatever text field has it. */
  @JSBody(
      script =
          "if (document.activeElement && document.activeElement.blur)"
              + " document.activeElement.blur();")
  public static native void blurActive();

  /** Whether the main pointer is a mouse (not a finger): a text field may take the focus then. */
  @JSBody(script = "return !!(window.matchMedia && matchMedia('(pointer: fine)').matches);")
  public static native boolean finePointer();

  /** Whether an element takes up room on the page (not display:none, here or above). */
  @JSBody(params = "el", script = "return !!(el.offsetWidth || el.offsetHeight);")
  public static native boolean displayed(HTMLElement el);
}
