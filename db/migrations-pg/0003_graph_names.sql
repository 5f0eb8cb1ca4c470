ALTER TABLE "groups" ADD COLUMN "graph_name" text;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "graph_name_checked_at" bigint;--> statement-breakpoint
CREATE INDEX "groups_graph_name_checked_idx" ON "groups" USING btree ("graph_name_checked_at");