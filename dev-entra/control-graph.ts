import { AddCertificateSchema, AddSecretSchema, AppChangeSchema, MembershipChangeSchema, UserChangeSchema } from './control-schemas';
import { jsonBody } from './control-routes';
import type { Route } from './control-routes';
import { snapshot, clearCounters } from './counters';
import {
  addCertificate,
  addSecret,
  appSummary,
  certificateSummary,
  changeApp,
  changeMemberships,
  changeUser,
  removeCertificate,
  removeSecret,
  resetGraph,
  setGraphFault,
  userState,
} from './graph-admin';
import { GraphFaultSchema } from './graph-faults';
import { DEMO_USER_LIST } from './users';

/** `/_dev/` routes for the directory, the app's credentials and Microsoft Graph's behaviour. */
export const GRAPH_ROUTES: Record<string, Route> = {
  'GET users': async (state, _req, ref) => ({ status: 200, body: ref ? userState(state, ref) : { users: DEMO_USER_LIST } }),
  'PATCH users': async (state, req, ref) => ({ status: 200, body: changeUser(state, ref, await jsonBody(req, UserChangeSchema)) }),
  'POST memberships': async (state, req) => {
    const { user, ...change } = await jsonBody(req, MembershipChangeSchema);
    return { status: 200, body: changeMemberships(state, user, change) };
  },
  'GET app': async (state, _req, clientId) => ({ status: 200, body: appSummary(state, clientId || undefined) }),
  'POST app': async (state, req) => {
    const { clientId, ...change } = await jsonBody(req, AppChangeSchema);
    return { status: 200, body: changeApp(state, change, clientId) };
  },
  'POST app-secrets': async (state, req) => {
    const { clientId, ...options } = await jsonBody(req, AddSecretSchema);
    return { status: 201, body: addSecret(state, options, clientId) };
  },
  'DELETE app-secrets': async (state, _req, keyId) => {
    removeSecret(state, keyId);
    return { status: 204 };
  },
  'POST app-certificates': async (state, req) => {
    const { clientId, certificatePem } = await jsonBody(req, AddCertificateSchema);
    return { status: 201, body: certificateSummary(await addCertificate(state, certificatePem, clientId)) };
  },
  'DELETE app-certificates': async (state, _req, keyId) => {
    removeCertificate(state, keyId);
    return { status: 204 };
  },
  'GET graph-faults': async (state) => ({ status: 200, body: state.graphFault }),
  'POST graph-faults': async (state, req) => ({ status: 200, body: setGraphFault(state, await jsonBody(req, GraphFaultSchema)) }),
  'DELETE graph-faults': async (state) => {
    setGraphFault(state, { mode: 'none' });
    return { status: 204 };
  },
  'GET counters': async (state) => ({ status: 200, body: snapshot(state.counters) }),
  'DELETE counters': async (state) => {
    clearCounters(state.counters);
    return { status: 204 };
  },
  'POST reset': async (state) => {
    resetGraph(state);
    return { status: 204 };
  },
};
