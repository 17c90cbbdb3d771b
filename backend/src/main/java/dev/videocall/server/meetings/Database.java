package dev.videocall.server.meetings;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database behind meetings: embedded H2 in the data directory for a single server, or
 * PostgreSQL (a JDBC URL) when instances share meetings. A HikariCP pool; the schema is migrated by
 * Flyway at start ({@code db/migration}).
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource pool;
  private final boolean embedded;

  private Database(HikariDataSource pool, boolean embedded) {
    this.pool = pool;
    this.embedded = embedded;
  }

  /** The H2 file database of a data directory. */
  public static String embeddedUrl(Path dataDir) {
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("meetings")
        + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
  }

  /**
   * Opens the pool and migrates the schema; the message of a failure says what to check (a database
   * that does not answer, a password, another server holding the H2 file).
   */
  public static Database open(String url, String user, String password, int maxConnections) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    if (user != null) {
      c.setUsername(user);
    }
    if (password != null) {
      c.setPassword(password);
    }
    c.setMaximumPoolSize(maxConnections);
    c.setPoolName("videocall-db");
    c.setConnectionTimeout(10_000);
    c.setInitializationFailTimeout(10_000);
    boolean embedded = url.startsWith("jdbc:h2:");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(c);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot open the database "
              + redact(url)
              + " ("
              + rootMessage(e)
              + ")"
              + (embedded
                  ? ": is another server using the same --data-dir?"
                  : ": check --database-url, --database-user and --database-password"),
          e);
    }
    try {
      int applied =
          Flyway.configure()
              .dataSource(pool)
              .locations("classpath:db/migration")
              .load()
              .migrate()
              .migrationsExecuted;
      log.info(
          "database {} ready{}",
          redact(url),
          applied == 0 ? "" : " (" + applied + " migrations applied)");
    } catch (RuntimeException e) {
      pool.close();
      throw new IllegalStateException(
          "cannot migrate the database " + redact(url) + ": " + rootMessage(e), e);
    }
    return new Database(pool, embedded);
  }

  public DataSource dataSource() {
    return pool;
  }

  public boolean embedded() {
    return embedded;
  }

  /** A JDBC URL without a password that may be in it. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    if (m == null) {
      return root.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @Override
  public void close() {
    pool.close();
  }
}
