/**
 * jsforce's Metadata and Tooling APIs, which deploy, activate and remove the Salesforce setup (the
 * outbound message and the flow) and probe a newly connected org. The adapters import
 * `jsforce/core`, which leaves every optional API out (the Metadata API alone carries its WSDL's
 * schema, several hundred KB of bundle); a function that deploys the setup imports this module
 * once, and today that is the admin API alone. Without it, `connection.metadata` throws jsforce's
 * own "API module 'metadata' is not loaded".
 */
import 'jsforce/api/metadata';
import 'jsforce/api/tooling';
