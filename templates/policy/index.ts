import { definePolicy, Port } from 'tailor'

// Who may reach what. Every name is declared once below; a typo anywhere else is a type error.
export default definePolicy(
  {
    groups: {
      engineering: ['alice@example.com', 'bob@example.com'],
    },
    tags: {
      web: ['group:engineering'],
      database: ['group:engineering'],
    },
    services: {
      postgres: { tag: 'database', ports: [Port.tcp(5432)] },
    },
  },
  (p) => ({
    rules: [
      p.allow(p.group.engineering).to(p.tag.web, Port.HTTPS),
      p.allow(p.tag.web).to(p.service.postgres),
    ],
    tests: [
      p.expect(p.group.engineering).canReach(p.tag.web, Port.HTTPS),
      p.expect(p.tag.web).canReach(p.service.postgres),
      p.expect(p.group.engineering).cannotReach(p.service.postgres),
    ],
  }),
)
