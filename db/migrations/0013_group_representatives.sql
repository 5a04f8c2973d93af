-- A group visit (集体访: five or more people came) chooses at most five representatives (信访工作条例 art. 20): the
-- petitioner is the first; the others are kept here in the order given.
CREATE TABLE petition_representatives (
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    phone    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, position)
) STRICT;
