package dev.videocall.server.http;

/**
 * The page at /meeting/{user}/{meeting}. Until the TeaVM web client lands this is a plain page that
 * names the meeting and the WebSocket endpoint; ids are validated before they get here.
 */
final class MeetingPage {
  private MeetingPage() {}

  static String render(String user, String meeting) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>videocall: "
        + meeting
        + "</title></head><body data-user=\""
        + user
        + "\" data-meeting=\""
        + meeting
        + "\"><h1>Meeting "
        + meeting
        + "</h1><p>Signed in as "
        + user
        + ". The browser client is not built yet; native clients connect to "
        + "<code>/lobby/"
        + user
        + "/"
        + meeting
        + "</code>.</p></body></html>\n";
  }
}
