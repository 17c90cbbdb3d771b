-- End-to-end encrypted meetings (SFrame): set at creation, never changed, since a meeting's keys
-- and its participants' clients depend on it.
ALTER TABLE meetings ADD COLUMN e2ee BOOLEAN DEFAULT FALSE NOT NULL;
