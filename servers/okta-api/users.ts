/** The one user of the mock org, shaped like Okta's `GET /api/v1/users/me` answer. */

interface OktaUserProfile {
  firstName: string;
  lastName: string;
  email: string;
  login: string;
  mobilePhone: string | null;
}

export interface OktaUser {
  id: string;
  status: 'ACTIVE';
  created: string;
  activated: string;
  statusChanged: string;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string;
  profile: OktaUserProfile;
  credentials: {
    password: Record<string, never>;
    provider: { type: 'OKTA'; name: 'OKTA' };
  };
  _links: Record<string, { href: string }>;
}

export interface UserAccount {
  user: OktaUser;
  password: string;
}

const DEFAULT_PASSWORD = 'Trusted-0rigins!';

export function defaultAccount(baseUrl: string): UserAccount {
  const id = '00ub0oNGTSWTBKOLGLNR';
  return {
    password: DEFAULT_PASSWORD,
    user: {
      id,
      status: 'ACTIVE',
      created: '2025-03-04T09:12:40.000Z',
      activated: '2025-03-04T09:12:41.000Z',
      statusChanged: '2025-03-04T09:12:41.000Z',
      lastLogin: null,
      lastUpdated: '2026-10-01T17:30:02.000Z',
      passwordChanged: '2025-03-04T09:14:10.000Z',
      profile: {
        firstName: 'Isaac',
        lastName: 'Brock',
        email: 'isaac.brock@example.com',
        login: 'isaac.brock@example.com',
        mobilePhone: '+1-555-415-1337',
      },
      credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
      _links: { self: { href: `${baseUrl}/api/v1/users/${id}` } },
    },
  };
}
