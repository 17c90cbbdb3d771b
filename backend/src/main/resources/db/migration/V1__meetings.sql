-- Meetings, their hosts and who asked to join. Times are epoch milliseconds (BIGINT): the same in
-- H2 and PostgreSQL, and no time zone to get wrong.
CREATE TABLE meetings (
  id            VARCHAR(64)  NOT NULL PRIMARY KEY,
  title         VARCHAR(256) NOT NULL,
  created_by    VARCHAR(64)  NOT NULL,
  created_at    BIGINT       NOT NULL,
  waiting_room  BOOLEAN      NOT NULL,
  locked        BOOLEAN      NOT NULL,
  ended_at      BIGINT
);

CREATE TABLE meeting_hosts (
  meeting_id    VARCHAR(64)  NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  subject       VARCHAR(64)  NOT NULL,
  since         BIGINT       NOT NULL,
  PRIMARY KEY (meeting_id, subject)
);

CREATE INDEX meeting_hosts_by_subject ON meeting_hosts (subject);

-- state: waiting, admitted, rejected, removed
CREATE TABLE participants (
  meeting_id     VARCHAR(64)  NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  subject        VARCHAR(64)  NOT NULL,
  display_name   VARCHAR(512) NOT NULL,
  state          VARCHAR(16)  NOT NULL,
  requested_at   BIGINT       NOT NULL,
  decided_at     BIGINT,
  decided_by     VARCHAR(64),
  last_joined_at BIGINT,
  PRIMARY KEY (meeting_id, subject)
);

CREATE INDEX participants_waiting ON participants (meeting_id, state);
