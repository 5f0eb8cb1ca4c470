CREATE TABLE "graph_credentials" (
	"kind" text PRIMARY KEY NOT NULL,
	"sealed" text NOT NULL,
	"thumbprint" text,
	"expires_at" bigint,
	"subject" text,
	"set_at" bigint NOT NULL,
	"set_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "login_events" ADD COLUMN "groups_source" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "groups_source" text;