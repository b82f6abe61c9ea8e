// The SQL with which SqliteStore stores readiness results. Shared with
// bench/readiness_ingest, whose raw-SQLite baseline must run exactly the
// store's statement.
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_READINESS_SQL_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_READINESS_SQL_H_

namespace v6scope::collector::store::sqlite {

// ?1 probe_id, ?2 seq, ?3 assignment_id, ?4 item, ?5 campaign_id, ?6 round,
// ?7 list_index, ?8 domain, ?9 sector, ?10 probe_asn, ?11 probe_country,
// ?12 received_at, ?13..?15 web/dns/mail states, ?16 web_v4_asn,
// ?17 web_v6_asn, ?18 the serialized DomainCheck, ?19 the verdict's
// methodology_version. A row whose (probe_id,
// seq) or (probe_id, assignment_id, item) is stored already is left
// alone: 0 changes means a duplicate.
inline constexpr char kInsertDomainResult[] =
    "INSERT INTO domain_results (probe_id, seq, assignment_id, item, "
    "campaign_id, round, list_index, domain, sector, probe_asn, "
    "probe_country, received_at, web_state, dns_state, mail_state, "
    "web_v4_asn, web_v6_asn, check_blob, methodology_version) VALUES (?1, "
    "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
    "?18, ?19) "
    "ON CONFLICT DO NOTHING";

}  // namespace v6scope::collector::store::sqlite

#endif  // V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_READINESS_SQL_H_
