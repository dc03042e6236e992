-- The contract between the ETL and the dashboard. Column names here are the ones the
-- dashboard's queries use; views (v_*) hold reusable SQL.

CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE documents (
    doc_id VARCHAR PRIMARY KEY,          -- file name without extension, unless another file holds it (folder/name)
    path VARCHAR,
    sha256 VARCHAR NOT NULL,             -- of the file's bytes
    extractor_version VARCHAR NOT NULL,
    format VARCHAR,                      -- txt | docx | pdf | html
    encoding VARCHAR,
    title VARCHAR,
    outlet VARCHAR,
    url VARCHAR,
    date_published DATE,
    date_source VARCHAR,                 -- manifest | header | issued | dateline | url | years-in-text | none
    doc_year INTEGER,
    date_accessed DATE,
    n_chars INTEGER,
    text VARCHAR NOT NULL,               -- original text; evidence offsets point here
    ingested_at TIMESTAMP
);

CREATE TABLE regions (
    region_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    short_name VARCHAR,
    level VARCHAR NOT NULL,              -- province | prefecture | county | new_area | etdz | hitech | park
    parent_id VARCHAR,
    province VARCHAR,
    lon DOUBLE,
    lat DOUBLE
);

CREATE TABLE facts (
    fact_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- figure | duration | mechanism
    region_id VARCHAR,
    region VARCHAR,
    province VARCHAR,
    region_level VARCHAR,
    -- figure
    metric VARCHAR,
    value DOUBLE,
    unit VARCHAR,
    currency VARCHAR,
    value_cny DOUBLE,                    -- money converted to 亿元 with etl/rules/fx.yml
    period_start DATE,
    period_end DATE,
    yoy_pct DOUBLE,
    is_target BOOLEAN,
    qualifier VARCHAR,
    subject VARCHAR,
    industry_chain VARCHAR,
    -- duration
    from_stage VARCHAR,
    to_stage VARCHAR,
    days DOUBLE,
    baseline_days DOUBLE,
    -- mechanism
    category VARCHAR,
    name VARCHAR,
    -- provenance
    evidence VARCHAR NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    sentence_start INTEGER,
    sentence_end INTEGER,
    region_rule VARCHAR,                 -- the region resolver's rule that placed it (etl/resolve/regions.py)
    -- the same real-world fact reported by several documents shares a cluster
    cluster_id VARCHAR NOT NULL,
    is_primary BOOLEAN NOT NULL,         -- one row per cluster counts in aggregates
    n_sources INTEGER NOT NULL,
    -- duration: stages of etl/rules/stages.yml (NULL = unmapped, kept as written above),
    -- what the baseline is (own 改革前 | norm 一般 | other 对比：baseline_ref); is_target = a commitment
    from_stage_key VARCHAR,
    to_stage_key VARCHAR,
    stage_group VARCHAR,                 -- what it compares on: 签约→开工, 企业开办; NULL = unmapped
    baseline_kind VARCHAR,
    baseline_ref VARCHAR
);

-- human review (etl/review.py): one row per fact; the log beside the database is the source
CREATE TABLE fact_reviews (
    fact_id VARCHAR PRIMARY KEY,
    fact_key VARCHAR NOT NULL,           -- stable identity: document sha256, kind, offsets, slot
    review_status VARCHAR NOT NULL,      -- machine | verified | corrected | rejected
    reviewed_by VARCHAR,
    reviewed_at TIMESTAMP,               -- UTC
    original VARCHAR                     -- JSON: the machine's values of the corrected fields
);

-- review decisions whose fact no longer exists in this version (never dropped from the log)
CREATE TABLE review_orphans (
    fact_key VARCHAR,
    review_status VARCHAR,
    reviewed_by VARCHAR,
    reviewed_at VARCHAR,
    doc_id VARCHAR,
    evidence VARCHAR,
    summary VARCHAR,
    reason VARCHAR
);

-- facts with their documents and review status; rejected facts are never primary
CREATE VIEW v_facts AS
SELECT f.*, d.title AS doc_title, d.outlet, d.date_published,
       coalesce(r.review_status, 'machine') AS review_status, r.reviewed_by, r.reviewed_at, r.fact_key,
       r.original AS review_original
FROM facts f JOIN documents d USING (doc_id) LEFT JOIN fact_reviews r USING (fact_id);

CREATE VIEW v_figures AS
SELECT * FROM v_facts WHERE kind = 'figure' AND is_primary;

CREATE VIEW v_durations AS
SELECT *, CASE WHEN days IS NOT NULL AND baseline_days > 0
               THEN round(100 * (1 - days / baseline_days), 1) END AS reduction_pct
FROM v_facts WHERE kind = 'duration' AND is_primary;

CREATE VIEW v_mechanisms AS
SELECT * FROM v_facts WHERE kind = 'mechanism' AND is_primary;

-- every source of a cluster, for "reported by N documents"
CREATE VIEW v_fact_sources AS
SELECT cluster_id, doc_id, doc_title, outlet, date_published, evidence, char_start, char_end, region, region_rule
FROM v_facts;

CREATE VIEW v_figures_by_region AS
SELECT region_id, region, province, region_level, metric, unit, currency, is_target,
       period_start, period_end, sum(value) AS value, sum(value_cny) AS value_cny, count(*) AS n_facts
FROM v_figures
GROUP BY ALL;

-- every fact with what comparisons need: its year (the period's, else its document's), its
-- amount in 亿元, its comparable period code (2023 = 全年, 2023Q1, 2023H1, 2023Q1-3, 2023M1-8 =
-- 1—8月累计, 2023M5 = one month; NULL for any other span) and its level's peer group. Stored as the
-- table fact_base at load time, so that the dashboard's first view reads it instead of computing it.
CREATE VIEW v_fact_base AS
SELECT v.*,
       coalesce(year(coalesce(v.period_end, v.period_start)), d.doc_year, year(v.date_published)) AS fact_year,
       CASE WHEN v.kind = 'figure' AND v.unit IN ('亿元', '亿') THEN v.value_cny ELSE v.value END AS amount,
       CASE WHEN v.kind = 'figure' AND year(v.period_start) = year(v.period_end) AND day(v.period_start) = 1
                 AND v.period_end = last_day(v.period_end)
            THEN CAST(year(v.period_start) AS VARCHAR) || CASE month(v.period_start) * 100 + month(v.period_end)
                 WHEN 112 THEN '' WHEN 103 THEN 'Q1' WHEN 406 THEN 'Q2' WHEN 709 THEN 'Q3' WHEN 1012 THEN 'Q4'
                 WHEN 106 THEN 'H1' WHEN 712 THEN 'H2' WHEN 109 THEN 'Q1-3'
                 ELSE CASE WHEN month(v.period_start) = month(v.period_end) THEN 'M' || month(v.period_start)
                           WHEN month(v.period_start) = 1 THEN 'M1-' || month(v.period_end) END END
       END AS cmp,
       CASE v.region_level WHEN 'province' THEN 'province' WHEN 'prefecture' THEN 'prefecture'
            WHEN 'county' THEN 'county' WHEN 'new_area' THEN 'zone' WHEN 'etdz' THEN 'zone'
            WHEN 'hitech' THEN 'zone' WHEN 'park' THEN 'zone' END AS peer
FROM v_facts v JOIN documents d ON d.doc_id = v.doc_id;
