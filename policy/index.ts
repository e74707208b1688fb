import { definePolicy, Port } from 'tailor'

// The classic private-backend tailnet: the web tier calls the API, the API uses the database,
// one admin device reaches everything, and nothing else is allowed.
export default definePolicy(
  {
    groups: {
      platform: ['alice@example.com', 'bob@example.com'],
      admins: ['danny@example.com'],
    },
    tags: {
      frontend: ['group:platform'],
      backend: ['group:platform'],
      database: ['group:platform'],
      admin: ['group:admins'],
    },
    services: {
      api: { tag: 'backend', ports: [Port.tcp(8080)] },
      postgres: { tag: 'database', ports: [Port.tcp(5432)] },
    },
  },
  (p) => ({
    rules: [
      p.allow(p.tag.frontend).to(p.service.api),
      p.allow(p.tag.backend).to(p.service.postgres),
      p.allow(p.tag.admin).to(p.any, Port.any()).because('the break-glass device reaches every host'),
    ],
    tests: [
      p.expect(p.tag.frontend).canReach(p.service.api),
      p.expect(p.tag.frontend).cannotReach(p.service.postgres),
      p.expect(p.tag.backend).canReach(p.service.postgres),
      p.expect(p.tag.backend).cannotReach(p.tag.frontend),
      p.expect(p.tag.database).cannotReach(p.tag.backend),
      p.expect(p.tag.admin).canReach(p.tag.database, Port.SSH),
    ],
  }),
)
