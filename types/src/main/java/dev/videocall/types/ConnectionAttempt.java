package dev.videocall.types;

/**
 * Which connection of which page a media session is: {@code ?attempt=<page>-<number>} on the lobby
 * path, where {@code page} is random per page load and {@code number} grows with every transport
 * the page opens. The server lets a session replace another of the same user only when it is not an
 * older attempt of the same page: a WebTransport session that the page gave up on (it fell back to
 * WebSocket) but that still reached the server afterwards must not evict the WebSocket session the
 * page uses. Another tab, a reload, or a client that sends nothing replaces as before.
 */
public final class ConnectionAttempt {
  /** The query parameter. */
  public static final String PARAM = "attempt";

  /** The page part's largest length (letters and digits). */
  public static final int MAX_PAGE_CHARS = 32;

  /** The number's largest digit count (any counter a page keeps fits). */
  public static final int MAX_NUMBER_DIGITS = 15;

  private final String page;
  private final long number;

  public ConnectionAttempt(String page, long number) {
    if (!validPage(page) || number < 0) {
      throw new IllegalArgumentException("attempt must be <page>-<number>");
    }
    this.page = page;
    this.number = number;
  }

  /**
   * The parameter's value read, or null when there is none.
   *
   * @throws IllegalArgumentException when it is there but not {@code <page>-<number>}: letters and
   *     digits (1 to 32), a dash, and 1 to 15 digits
   */
  public static ConnectionAttempt parse(String value) {
    if (value == null) {
      return null;
    }
    int dash = value.lastIndexOf('-');
    String digits = dash < 0 ? "" : value.substring(dash + 1);
    if (dash < 0
        || !validPage(value.substring(0, dash))
        || digits.isEmpty()
        || digits.length() > MAX_NUMBER_DIGITS) {
      throw new IllegalArgumentException(
          PARAM
              + " must be <page>-<number> (1 to "
              + MAX_PAGE_CHARS
              + " letters or digits, 1 to "
              + MAX_NUMBER_DIGITS
              + " digits)");
    }
    long n = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(PARAM + "'s number must be digits");
      }
      n = n * 10 + (c - '0');
    }
    return new ConnectionAttempt(value.substring(0, dash), n);
  }

  private static boolean validPage(String page) {
    if (page == null || page.isEmpty() || page.length() > MAX_PAGE_CHARS) {
      return false;
    }
    for (int i = 0; i < page.length(); i++) {
      char c = page.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** How many pages' attempts a session remembers (its own, and those of sessions it replaced). */
  public static final int REMEMBERED = 4;

  /**
   * Whether a session made by {@code newer} must not replace one made by {@code live}: both from
   * the same page, and the newcomer opened before the live one. Null (a client that does not say)
   * never is.
   */
  public static boolean stale(ConnectionAttempt newer, ConnectionAttempt live) {
    return newer != null
        && live != null
        && newer.page.equals(live.page)
        && newer.number < live.number;
  }

  /** Whether {@code newer} is {@link #stale} against any of {@code known}. */
  public static boolean staleAgainst(
      ConnectionAttempt newer, java.util.List<ConnectionAttempt> known) {
    for (ConnectionAttempt k : known) {
      if (stale(newer, k)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a session that replaces one knowing {@code earlier} knows: its own attempt first, then the
   * newest attempt of each other page, at most {@link #REMEMBERED} in all. A page whose abandoned
   * connection arrives after another tab replaced its session is then still recognised.
   */
  public static java.util.List<ConnectionAttempt> remembered(
      ConnectionAttempt own, java.util.List<ConnectionAttempt> earlier) {
    java.util.List<ConnectionAttempt> out = new java.util.ArrayList<>();
    if (own != null) {
      out.add(own);
    }
    for (ConnectionAttempt e : earlier) {
      if (out.size() >= REMEMBERED) {
        break;
      }
      boolean known = false;
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).page.equals(e.page)) {
          known = true;
          if (out.get(i).number < e.number) {
            out.set(i, e);
          }
        }
      }
      if (!known) {
        out.add(e);
      }
    }
    return java.util.List.copyOf(out);
  }

  public String page() {
    return page;
  }

  public long number() {
    return number;
  }

  /** The parameter's value. */
  @Override
  public String toString() {
    return page + "-" + number;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionAttempt a && a.page.equals(page) && a.number == number;
  }

  @Override
  public int hashCode() {
    return page.hashCode() * 31 + Long.hashCode(number);
  }
}
