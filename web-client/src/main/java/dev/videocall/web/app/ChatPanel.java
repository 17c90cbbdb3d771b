package dev.videocall.web.app;

import dev.videocall.types.wire.ChatPacket;
import dev.videocall.types.wire.PacketWrapper;
import dev.videocall.web.browser.Js;
import java.util.function.Consumer;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.html.HTMLDocument;
import org.teavm.jso.dom.html.HTMLElement;

/**
 * In-meeting chat: messages as text (never markup), the sender as the server stamped it, a length
 * limit the server enforces too, and an unread count on the chat button while the panel is closed.
 */
final class ChatPanel {
  static final int MAX_CHARS = 2000;

  private final HTMLDocument doc = HTMLDocument.current();
  private final HTMLElement list;
  private final HTMLElement input;
  private final HTMLElement badge;
  private final Consumer<PacketWrapper> send;
  private final java.util.function.BooleanSupplier open;
  private int unread;

  ChatPanel(
      HTMLElement list,
      HTMLElement form,
      HTMLElement input,
      HTMLElement button,
      Consumer<PacketWrapper> send,
      java.util.function.BooleanSupplier open) {
    this.list = list;
    this.input = input;
    this.send = send;
    this.open = open;
    badge = doc.createElement("span");
    badge.setClassName("vc-badge");
    badge.setAttribute("data-role", "unread");
    badge.setHidden(true);
    button.appendChild(badge);
    form.addEventListener(
        "submit",
        (Event e) -> {
          e.preventDefault();
          submit();
        });
  }

  private void submit() {
    String text = Js.value(input).strip();
    if (text.isEmpty()) {
      return;
    }
    if (text.codePointCount(0, text.length()) > MAX_CHARS) {
      text = text.substring(0, text.offsetByCodePoints(0, MAX_CHARS));
    }
    ChatPacket c = new ChatPacket();
    c.text = text;
    c.sentAtMs = (long) Js.now();
    PacketWrapper p = new PacketWrapper();
    p.packetType = PacketWrapper.CHAT;
    p.data = c.encode();
    send.accept(p);
    Js.setValue(input, "");
    show("You", text, true);
  }

  /** A message from someone else. */
  void received(String from, ChatPacket c) {
    show(from, c.text, false);
    if (!open.getAsBoolean()) {
      unread++;
      badge.setInnerText(unread > 9 ? "9+" : String.valueOf(unread));
      badge.setHidden(false);
    }
  }

  /** The chat button's icon was redrawn: its unread badge goes back on it. */
  void reattachBadge(HTMLElement button) {
    button.appendChild(badge);
  }

  void opened() {
    unread = 0;
    badge.setHidden(true);
    if (Js.finePointer()) {
      Js.focus(input); // not on a phone: its keyboard would cover the messages
    }
  }

  int unread() {
    return unread;
  }

  private void show(String from, String text, boolean mine) {
    HTMLElement item = doc.createElement("li");
    item.setAttribute("data-chat-message", "");
    item.setClassName("flex flex-col " + (mine ? "items-end" : "items-start"));
    HTMLElement who = doc.createElement("span");
    who.setClassName("px-1 text-xs text-slate-400");
    HTMLElement sender = doc.createElement("span");
    sender.setClassName("font-medium text-slate-200");
    sender.setInnerText(from);
    who.appendChild(sender);
    who.appendChild(doc.createTextNode(" " + time()));
    HTMLElement body = doc.createElement("p");
    body.setClassName(
        "max-w-[85%] whitespace-pre-wrap break-words rounded-2xl px-3 py-2 "
            + (mine ? "bg-sky-600 text-white" : "bg-slate-800"));
    body.setInnerText(text);
    item.appendChild(who);
    item.appendChild(body);
    list.appendChild(item);
    list.setScrollTop(list.getScrollHeight());
  }

  private static String time() {
    double now = Js.now();
    long minutes = (long) (now / 60000) % (24 * 60);
    // local time: the offset from the browser
    minutes = Math.floorMod(minutes - offsetMinutes(), 24 * 60);
    long h = minutes / 60;
    long m = minutes % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }

  @org.teavm.jso.JSBody(script = "return new Date().getTimezoneOffset();")
  private static native int offsetMinutes();
}
