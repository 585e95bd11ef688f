-- Issue 14 (policy lint, cost estimate). What a request adds for its risk and its cost: an optional guardrail the
-- policy requires, and the expected volume the cost estimate works from. Its own table keeps access_request as it is.
create table request_risk (
    request_id bigint primary key references access_request (id),
    guardrail_arn varchar(200),
    requests_per_day integer,
    input_tokens_per_request integer,
    output_tokens_per_request integer
);

-- Estimated on-demand prices per 1,000 tokens (USD, us-east-1, standard tier) by foundation model; admins keep them
-- current on the model catalog page. An inference profile is priced as its foundation model.
create table model_price (
    model_id varchar(200) primary key,
    input_per_1k numeric(12, 6) not null,
    output_per_1k numeric(12, 6) not null,
    checked_on date not null,
    updated_by varchar(100),
    updated_at timestamp with time zone
);

insert into model_price (model_id, input_per_1k, output_per_1k, checked_on) values
('anthropic.claude-sonnet-4-5-20250929-v1:0', 0.003, 0.015, date '2025-11-15'),
('anthropic.claude-haiku-4-5-20251001-v1:0', 0.001, 0.005, date '2025-11-15'),
('anthropic.claude-opus-4-1-20250805-v1:0', 0.015, 0.075, date '2025-11-15'),
('anthropic.claude-3-5-haiku-20241022-v1:0', 0.0008, 0.004, date '2025-11-15'),
('anthropic.claude-v2:1', 0.008, 0.024, date '2025-11-15'),
('amazon.nova-pro-v1:0', 0.0008, 0.0032, date '2025-11-15'),
('amazon.nova-lite-v1:0', 0.00006, 0.00024, date '2025-11-15'),
('amazon.nova-micro-v1:0', 0.000035, 0.00014, date '2025-11-15'),
('amazon.titan-embed-text-v2:0', 0.00002, 0, date '2025-11-15'),
('meta.llama3-3-70b-instruct-v1:0', 0.00072, 0.00072, date '2025-11-15'),
('meta.llama4-maverick-17b-instruct-v1:0', 0.00024, 0.00097, date '2025-11-15'),
('mistral.mistral-large-2407-v1:0', 0.002, 0.006, date '2025-11-15'),
('mistral.pixtral-large-2502-v1:0', 0.002, 0.006, date '2025-11-15');
