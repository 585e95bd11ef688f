-- Events sent again while the portal runs (EventRedelivery, README "Events a listener has not finished"): one run at a
-- time across the cluster, and what each event's redelivery has done so far. An event_publication row that is taken up
-- again gets the time of that attempt as its publication_date (so no node takes it up again before
-- portal.events.redeliver-after has passed once more); the time it was first published is kept here.
insert into cluster_run (name) values ('event-redelivery');
create table event_redelivery (
    id           uuid primary key,                    -- event_publication.id
    published_at timestamp with time zone not null,   -- its publication_date before it was first taken up again
    attempts     integer not null,                    -- times taken up again
    last_sent_at timestamp with time zone not null,
    -- true: the event could not be read back (its class is gone, or its stored form no longer fits it): dated and
    -- counted, not sent (Spring Modulith would stop the whole look at it)
    unreadable   boolean not null default false
);
