CREATE TABLE "form_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"used_at" bigint NOT NULL,
	"location" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "form_tokens_used" ON "form_tokens" USING btree ("used_at");--> statement-breakpoint
CREATE INDEX "notifications_student_course" ON "notifications" USING btree ("student_id","course_id","kind");