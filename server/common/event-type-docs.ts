// What each of the 29 event types means, in one line, and how its title reads (pure data,
// shared with the UI for the event-type hover). Templates marked documented are quoted from
// Soveren's public webhook documentation; the others follow the same wording and are
// what the built-in sender writes (server/soveren/events.ts). Placeholders name event fields.

export interface EventTypeDoc {
  description: string;
  /** `{placeholder}` marks a value taken from the event. */
  titleTemplates: readonly string[];
  /** The template is quoted from Soveren's documentation (otherwise modelled on it). */
  documented: boolean;
}

const DOCS: ReadonlyArray<readonly [string, EventTypeDoc]> = [
  // Data at risk
  ['3rd_party_policy_violation', { description: 'A service shares sensitive data with a third party against a policy.', titleTemplates: ['Service {sending.name} is sharing {dataTypeName} with third parties'], documented: true }],
  ['anomaly_detected', { description: 'Unusual sensitive-data traffic between services (volume or pattern) was detected.', titleTemplates: ['Anomaly detected'], documented: true }],
  ['excessive_db_access', { description: 'A service reads far more sensitive data from a database than it usually does.', titleTemplates: ['Excessive database access detected'], documented: true }],
  ['policy_violation', { description: 'Sensitive data flows to an asset outside the set a policy allows (or sits in an API URL path).', titleTemplates: ['Data type {dataTypeName} is outside the allowed set of assets', 'Data type in API URL path detected'], documented: true }],
  ['policy_violation_dar', { description: 'Sensitive data is stored in a data store outside the set a policy allows.', titleTemplates: ['Data type {dataTypeName} is outside the allowed set of data stores'], documented: true }],
  // Infrastructure updates
  ['custom_asset_rule_conflict', { description: 'Rules for custom external connections overlap and contradict each other.', titleTemplates: ['Conflict in rules for custom external connections'], documented: true }],
  ['email_clustered', { description: 'Endpoints whose path carries an email address were grouped into one pattern.', titleTemplates: ['Endpoints of {receiving.name} with emails in the path were clustered'], documented: false }],
  ['new_data_type', { description: 'A data type was seen for the first time in a service\'s traffic.', titleTemplates: ['New data type {dataTypeName} detected in {sending.name}'], documented: false }],
  ['new_external_receiver', { description: 'A service started sending data to an external receiver not seen before.', titleTemplates: ['Service {sending.name} started sending data to new external receiver {receiving.name}'], documented: false }],
  ['new_internal_receiver', { description: 'An internal service started receiving sensitive data for the first time.', titleTemplates: ['New internal receiver {receiving.name} detected'], documented: false }],
  ['new_internal_sender', { description: 'An internal service started sending sensitive data for the first time.', titleTemplates: ['New internal sender {sending.name} detected'], documented: false }],
  ['new_potential_data_storage', { description: 'An asset that looks like a data store was found and may hold sensitive data.', titleTemplates: ['Potential data storage {receiving.name} detected'], documented: false }],
  ['new_data_storage', { description: 'A new data store holding sensitive data was discovered.', titleTemplates: ['New data storage {receiving.name} ({database_type}) detected'], documented: false }],
  ['started_storing_data', { description: 'A data store started storing sensitive data.', titleTemplates: ['Data storage {receiving.name} started storing sensitive data'], documented: false }],
  ['started_storing_datatype', { description: 'A data store started storing a data type it did not hold before.', titleTemplates: ['Data storage {receiving.name} started storing {dataTypeName}'], documented: false }],
  ['updated_enduser_receiver', { description: 'A service started sending a new data type to end users.', titleTemplates: ['Service {sending.name} started sending {dataTypeName} to end users'], documented: false }],
  ['updated_external_receiver', { description: 'An external receiver started receiving a new data type.', titleTemplates: ['External receiver {receiving.name} started receiving {dataTypeName}'], documented: false }],
  ['updated_internal_receiver', { description: 'An internal receiver started receiving a new data type.', titleTemplates: ['Internal receiver {receiving.name} started receiving {dataTypeName}'], documented: false }],
  ['updated_internal_sender', { description: 'An internal sender started sending a new data type.', titleTemplates: ['Internal sender {sending.name} started sending {dataTypeName}'], documented: false }],
  ['updated_robot_receiver', { description: 'Robots (crawlers, scripts) started receiving a new data type from a service.', titleTemplates: ['Robots started receiving {dataTypeName} from {sending.name}'], documented: false }],
  // Misconfiguration
  ['policy_public_s3_bucket', { description: 'An S3 bucket or object with sensitive data is publicly accessible.', titleTemplates: ['S3 bucket {s3_bucket} with sensitive data is publicly accessible'], documented: false }],
  ['policy_unencrypted_network', { description: 'Sensitive data travels over an unencrypted connection (plain HTTP).', titleTemplates: ['Service {sending.name} sends {dataTypeName} over unencrypted HTTP'], documented: false }],
  ['policy_unencrypted_rds', { description: 'An RDS database instance with sensitive data is not encrypted at rest.', titleTemplates: ['RDS instance {entity_name} with sensitive data is not encrypted at rest'], documented: false }],
  ['policy_unencrypted_s3_bucket', { description: 'An S3 bucket with sensitive data is not encrypted.', titleTemplates: ['S3 bucket {s3_bucket} with sensitive data is not encrypted'], documented: false }],
  // Other
  ['dar_release_update', { description: 'A new version of the data-at-rest sensor is available.', titleTemplates: ['New version of the Data-at-rest sensor is available: {version}'], documented: false }],
  ['dar_release_update_critical', { description: 'A critical update of the data-at-rest sensor is available.', titleTemplates: ['Critical update for the Data-at-rest sensor: version {version}'], documented: false }],
  ['dim_release_update', { description: 'A new version of the data-in-motion sensor is available.', titleTemplates: ['New version of the Data-in-motion sensor is available: {version}'], documented: false }],
  ['dim_release_update_critical', { description: 'A critical update of the data-in-motion sensor is available.', titleTemplates: ['Critical update for the Data-in-motion sensor: version {version}'], documented: false }],
  ['discovery_complete', { description: 'A discovery run over data at rest finished.', titleTemplates: ['Discovery of data at rest is complete: {count} data stores scanned'], documented: false }],
];

/** Keyed by event type; a Map, so a payload's event_type can never reach an object's prototype. */
export const EVENT_TYPE_DOCS: ReadonlyMap<string, EventTypeDoc> = new Map(DOCS);
