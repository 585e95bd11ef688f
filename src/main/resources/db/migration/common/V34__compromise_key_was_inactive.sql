-- Whether the key was already Inactive (disabled by a person or a review) when its compromise case disabled it: a
-- false alarm then leaves it Inactive instead of undoing that earlier decision.
alter table compromise_case add column key_was_inactive boolean default false not null;
