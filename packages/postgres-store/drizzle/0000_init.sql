CREATE SCHEMA "pgqrs";
--> statement-breakpoint
CREATE TABLE "pgqrs"."messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pgqrs"."messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workflow" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"visible_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pgqrs"."runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pgqrs"."runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"message_id" bigint NOT NULL,
	"workflow" text NOT NULL,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"input" json NOT NULL,
	"output" json,
	"error" json,
	"attempt" integer DEFAULT 0 NOT NULL,
	"run_failures" integer DEFAULT 0 NOT NULL,
	"step_failures" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"pause_reason" text,
	"visible_at" timestamp with time zone,
	"lease_token" uuid,
	"worker_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "runs_status_check" CHECK (status in ('QUEUED', 'RUNNING', 'SUCCESS', 'ERROR', 'PAUSED', 'CANCELLED'))
);
--> statement-breakpoint
CREATE TABLE "pgqrs"."steps" (
	"run_id" bigint NOT NULL,
	"step_id" text NOT NULL,
	"output" json,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "pgqrs"."steps_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "steps_pkey" PRIMARY KEY("run_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "pgqrs"."workers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"workflow" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pgqrs"."workflows" (
	"name" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pgqrs"."messages" ADD CONSTRAINT "messages_workflow_workflows_name_fk" FOREIGN KEY ("workflow") REFERENCES "pgqrs"."workflows"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pgqrs"."runs" ADD CONSTRAINT "runs_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "pgqrs"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_idempotency_key_idx" ON "pgqrs"."messages" USING btree ("workflow","idempotency_key") WHERE idempotency_key is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "runs_message_id_idx" ON "pgqrs"."runs" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "runs_claim_idx" ON "pgqrs"."runs" USING btree ("workflow","visible_at","id") WHERE status in ('QUEUED', 'RUNNING', 'PAUSED');--> statement-breakpoint
CREATE INDEX "runs_created_idx" ON "pgqrs"."runs" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "runs_workflow_created_idx" ON "pgqrs"."runs" USING btree ("workflow","created_at","id");--> statement-breakpoint
CREATE INDEX "workers_last_seen_idx" ON "pgqrs"."workers" USING btree ("last_seen_at");